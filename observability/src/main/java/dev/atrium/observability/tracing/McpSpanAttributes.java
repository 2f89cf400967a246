package dev.atrium.observability.tracing;

import dev.atrium.mcp.protocol.McpHeaders;
import dev.atrium.mcp.transport.McpCaller;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.SessionDigest;
import io.micrometer.common.KeyValue;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Names the server span of an MCP request after what it asked ({@code tools/call
 * weather___forecast}) and gives it the MCP semantic-convention attributes, once the
 * request is known; the span itself is Spring's HTTP server span.
 */
public final class McpSpanAttributes implements McpExchangeObserver {

	public static final String METHOD = "mcp.method.name";

	public static final String TOOL = "gen_ai.tool.name";

	public static final String SESSION = "mcp.session.id";

	public static final String PROTOCOL_VERSION = "mcp.protocol.version";

	public static final String SCENARIO = "atrium.scenario";

	public static final String TARGET = "atrium.target";

	public static final String TENANT = "atrium.tenant";

	/** Exchange attribute holding the span's name, for {@link McpServerSpanNames}. */
	public static final String SPAN_NAME_ATTRIBUTE = McpSpanAttributes.class.getName() + ".spanName";

	@Override
	public void completed(Exchange exchange) {
		if (exchange.http() == null) {
			return;
		}
		ServerRequestObservationContext.findCurrent(exchange.http().getAttributes()).ifPresent((context) -> {
			String method = (exchange.method() != null) ? exchange.method() : "unreadable";
			exchange.http()
				.getAttributes()
				.put(SPAN_NAME_ATTRIBUTE, (exchange.name() != null) ? method + " " + exchange.name() : method);
			context.addLowCardinalityKeyValue(KeyValue.of(METHOD, method));
			context.addLowCardinalityKeyValue(KeyValue.of(SCENARIO, exchange.scenario()));
			context.addHighCardinalityKeyValue(
					KeyValue.of(TARGET, (exchange.target() != null) ? exchange.target() : "atrium"));
			if (exchange.name() != null && "tools/call".equals(method)) {
				context.addHighCardinalityKeyValue(KeyValue.of(TOOL, exchange.name()));
			}
			String version = exchange.http().getRequest().getHeaders().getFirst(McpHeaders.PROTOCOL_VERSION);
			if (version != null) {
				context.addHighCardinalityKeyValue(KeyValue.of(PROTOCOL_VERSION, version));
			}
			String session = exchange.http().getRequest().getHeaders().getFirst(McpHeaders.SESSION_ID);
			if (session != null) {
				context.addHighCardinalityKeyValue(KeyValue.of(SESSION, SessionDigest.of(session)));
			}
			String tenant = exchange.http().getAttribute(McpCaller.TENANT_ATTRIBUTE);
			if (tenant != null) {
				context.addHighCardinalityKeyValue(KeyValue.of(TENANT, tenant));
			}
		});
	}

	@Override
	public String toString() {
		return "McpSpanAttributes";
	}

}
