package dev.atrium.observability.logging;

import java.util.Locale;

import dev.atrium.mcp.transport.McpExchangeObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One INFO line per MCP message, the seed's event {@value #EVENT}: who sent it (the
 * client id of the log context), to which scenario and target, which method, how it ended
 * and how long it took. Only what the metrics know, and the client: never the message's
 * arguments, a resource URI, a header or a token.
 * <p>
 * Turned off with
 * {@code logging.level.dev.atrium.observability.logging.McpRequestLog=warn}.
 */
public final class McpRequestLog implements McpExchangeObserver {

	public static final String EVENT = "mcp_request";

	private static final Logger logger = LoggerFactory.getLogger(McpRequestLog.class);

	@Override
	public void completed(Exchange exchange) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		String client = MDC.get(LogContext.CLIENT_ID);
		String method = (exchange.method() != null) ? exchange.method() : "unreadable";
		String server = (exchange.target() != null) ? exchange.target() : "atrium";
		String status = exchange.outcome().name().toLowerCase(Locale.ROOT);
		long millis = exchange.duration().toMillis();
		LoggingEventBuilder line = logger.atInfo()
			.addKeyValue(AtriumStructuredLogFormatter.EVENT, EVENT)
			.addKeyValue("client_id", (client != null) ? client : "anonymous")
			.addKeyValue("mcp_server", server)
			.addKeyValue("method", method)
			.addKeyValue("duration_ms", millis)
			.addKeyValue("status", status)
			.addKeyValue("http_status", exchange.status())
			.addKeyValue("scenario", exchange.scenario());
		if (exchange.routedName() != null) {
			line = line.addKeyValue("tool", exchange.routedName());
		}
		line.log("{} {} on {}: {} in {} ms", exchange.scenario(), method, server, status, millis);
	}

	@Override
	public String toString() {
		return "McpRequestLog[" + EVENT + "]";
	}

}
