package dev.atrium.observability.logging;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atrium.mcp.transport.McpExchangeObserver.Exchange;
import dev.atrium.mcp.transport.McpExchangeObserver.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@code mcp_request} line per MCP message, with what the metrics know and the
 * client, and nothing of the message's content.
 */
class McpRequestLogTests {

	private final Logger logger = (Logger) LoggerFactory.getLogger(McpRequestLog.class);

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	private final McpRequestLog log = new McpRequestLog();

	private Level level;

	@BeforeEach
	void capture() {
		this.level = this.logger.getLevel();
		this.logger.setLevel(Level.INFO);
		this.lines.start();
		this.logger.addAppender(this.lines);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.lines);
		this.logger.setLevel(this.level);
		MDC.clear();
	}

	@Test
	void aCallRoutedToATargetIsLoggedWithTheClientOfTheLogContext() {
		MDC.put(LogContext.CLIENT_ID, "ai-agent-001");

		this.log.completed(new Exchange("internal", "tools/call", "database-mcp", "database-mcp___query", Outcome.OK,
				200, Duration.ofMillis(45), null, null));

		ILoggingEvent line = single();
		assertThat(line.getLevel()).isEqualTo(Level.INFO);
		assertThat(pairs(line)).containsExactly(Map.entry("event", "mcp_request"),
				Map.entry("client_id", "ai-agent-001"), Map.entry("mcp_server", "database-mcp"),
				Map.entry("method", "tools/call"), Map.entry("duration_ms", 45L), Map.entry("status", "ok"),
				Map.entry("http_status", 200), Map.entry("scenario", "internal"),
				Map.entry("tool", "database-mcp___query"));
		assertThat(line.getFormattedMessage()).isEqualTo("internal tools/call on database-mcp: ok in 45 ms");
	}

	@Test
	void whatAtriumAnsweredItselfIsLoggedAsAtriumsWithoutAName() {
		this.log.completed(new Exchange("consumer", "tools/call", null, "no-such-tool", Outcome.ERROR, 200,
				Duration.ofMillis(2), null, null));

		Map<String, Object> pairs = pairs(single());
		assertThat(pairs).containsEntry("mcp_server", "atrium")
			.containsEntry("client_id", "anonymous")
			.containsEntry("status", "error")
			.doesNotContainKey("tool");
	}

	@Test
	void resourceUrisAndUnreadableMessagesLeaveNoTrace() {
		this.log.completed(new Exchange("enterprise", "resources/read", "files", "file:///home/alice/secret.txt",
				Outcome.OK, 200, Duration.ofMillis(9), null, null));
		this.log.completed(
				new Exchange("enterprise", null, null, null, Outcome.REJECTED, 400, Duration.ofMillis(1), null, null));

		assertThat(this.lines.list).hasSize(2);
		assertThat(this.lines.list.get(0).getFormattedMessage() + pairs(this.lines.list.get(0)))
			.doesNotContain("secret.txt");
		assertThat(pairs(this.lines.list.get(1))).containsEntry("method", "unreadable")
			.containsEntry("status", "rejected")
			.containsEntry("http_status", 400);
	}

	@Test
	void nothingIsLoggedBelowInfo() {
		this.logger.setLevel(Level.WARN);

		this.log
			.completed(new Exchange("internal", "tools/list", null, null, Outcome.OK, 200, Duration.ZERO, null, null));

		assertThat(this.lines.list).isEmpty();
	}

	private ILoggingEvent single() {
		assertThat(this.lines.list).hasSize(1);
		return this.lines.list.get(0);
	}

	private static Map<String, Object> pairs(ILoggingEvent line) {
		Map<String, Object> pairs = new LinkedHashMap<>();
		List<KeyValuePair> list = line.getKeyValuePairs();
		list.forEach((pair) -> pairs.put(pair.key, pair.value));
		return pairs;
	}

}
