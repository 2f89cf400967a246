package dev.atrium.observability.logging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.boot.logging.structured.StructuredLogFormatterFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON lines, built the way Spring Boot builds them for
 * {@code logging.structured.format.console}: the seed's shape, the log context, errors,
 * and no credential in any field.
 */
class AtriumStructuredLogFormatterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String JWT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyLWFsaWNlIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

	private final LoggerContext loggers = new LoggerContext();

	private final ThrowableProxyConverter throwables = new ThrowableProxyConverter();

	@BeforeEach
	void startConverter() {
		this.throwables.setContext(this.loggers);
		this.throwables.start();
	}

	@AfterEach
	void stopConverter() {
		this.throwables.stop();
	}

	@Test
	void anEventLineHasTheSeedsShapeAndTheLogContext() {
		LoggingEvent event = event(Level.INFO, "internal tools/list on demo: ok in 45 ms", null,
				Map.of("request_id", "req-00000001", "correlation_id", "corr-0000001"));
		event.addKeyValuePair(new KeyValuePair("event", "mcp_request"));
		event.addKeyValuePair(new KeyValuePair("client_id", "ai-agent-001"));
		event.addKeyValuePair(new KeyValuePair("mcp_server", "database-mcp"));
		event.addKeyValuePair(new KeyValuePair("method", "tools/list"));
		event.addKeyValuePair(new KeyValuePair("duration_ms", 45L));
		event.addKeyValuePair(new KeyValuePair("status", "ok"));

		String text = formatter(new MockEnvironment()).format(event);

		assertThat(text).endsWith("\n").doesNotContain("\n\n");
		JsonNode line = JSON.readTree(text);
		assertThat(names(line)).startsWith("timestamp", "level", "component", "event", "details");
		assertThat(line.path("timestamp").asString()).isEqualTo("2025-01-02T10:30:00.123Z");
		assertThat(line.path("level").asString()).isEqualTo("INFO");
		assertThat(line.path("component").asString()).isEqualTo("atrium");
		assertThat(line.path("event").asString()).isEqualTo("mcp_request");
		JsonNode details = line.path("details");
		assertThat(names(details)).containsExactly("client_id", "mcp_server", "method", "duration_ms", "status");
		assertThat(details.path("duration_ms").isNumber()).isTrue();
		assertThat(details.path("duration_ms").asLong()).isEqualTo(45);
		assertThat(line.path("request_id").asString()).isEqualTo("req-00000001");
		assertThat(line.path("correlation_id").asString()).isEqualTo("corr-0000001");
		assertThat(line.path("logger").asString()).isEqualTo("dev.atrium.test");
		assertThat(line.path("thread").asString()).isEqualTo("reactor-http-epoll-1");
		assertThat(line.path("message").asString()).isEqualTo("internal tools/list on demo: ok in 45 ms");
		assertThat(line.has("error")).isFalse();
	}

	@Test
	void aLineThatIsNoEventIsALogWithoutDetails() {
		JsonNode line = JSON.readTree(formatter(new MockEnvironment().withProperty("spring.application.name", "gw-eu"))
			.format(event(Level.WARN, "Target 'demo' is unavailable", null)));

		assertThat(line.path("event").asString()).isEqualTo("log");
		assertThat(line.path("component").asString()).isEqualTo("gw-eu");
		assertThat(line.path("level").asString()).isEqualTo("WARN");
		assertThat(line.has("details")).isFalse();
		assertThat(line.has("request_id")).isFalse();
	}

	@Test
	void anErrorHasItsTypeMessageAndStackTrace() {
		JsonNode line = JSON.readTree(formatter(new MockEnvironment())
			.format(event(Level.ERROR, "failed", new IllegalStateException("no upstream"))));

		assertThat(line.at("/error/type").asString()).isEqualTo("java.lang.IllegalStateException");
		assertThat(line.at("/error/message").asString()).isEqualTo("no upstream");
		assertThat(line.path("stack_trace").asString()).contains("IllegalStateException: no upstream")
			.contains("at dev.atrium.observability.logging.AtriumStructuredLogFormatterTests");
	}

	@Test
	void noFieldCarriesACredential() {
		LoggingEvent event = event(Level.WARN, "refused " + JWT,
				new IllegalArgumentException("bad form client_secret=s3cr3t-of-the-client"), Map.of("request_id", JWT));
		event.addKeyValuePair(new KeyValuePair("header", "Bearer 2YotnFZFEjr1zCsicMWpAA"));

		String text = formatter(new MockEnvironment()).format(event);
		byte[] bytes = formatter(new MockEnvironment()).formatAsBytes(event, StandardCharsets.UTF_8);

		for (String line : List.of(text, new String(bytes, StandardCharsets.UTF_8))) {
			assertThat(line).doesNotContain(JWT)
				.doesNotContain("eyJ")
				.doesNotContain("2YotnFZFEjr1zCsicMWpAA")
				.doesNotContain("s3cr3t-of-the-client")
				.contains("[REDACTED]");
			assertThat(JSON.readTree(line).path("message").asString()).isEqualTo("refused [REDACTED]");
		}
	}

	@Test
	void springBootsJsonPropertiesApply() {
		MockEnvironment environment = new MockEnvironment().withProperty("logging.structured.json.exclude", "thread")
			.withProperty("logging.structured.json.add.region", "eu-west-1");

		JsonNode line = JSON.readTree(formatter(environment).format(event(Level.INFO, "started", null)));

		assertThat(line.has("thread")).isFalse();
		assertThat(line.path("region").asString()).isEqualTo("eu-west-1");
	}

	private StructuredLogFormatter<ILoggingEvent> formatter(MockEnvironment environment) {
		return new StructuredLogFormatterFactory<>(ILoggingEvent.class, environment,
				(parameters) -> parameters.add(ThrowableProxyConverter.class, this.throwables), (common) -> {
				})
			.get(AtriumStructuredLogFormatter.class.getName());
	}

	private LoggingEvent event(Level level, String message, Throwable error) {
		return event(level, message, error, Map.of());
	}

	private LoggingEvent event(Level level, String message, Throwable error, Map<String, String> context) {
		LoggingEvent event = new LoggingEvent("test", this.loggers.getLogger("dev.atrium.test"), level, message, error,
				null);
		event.setInstant(Instant.parse("2025-01-02T10:30:00.123456Z"));
		event.setThreadName("reactor-http-epoll-1");
		event.setMDCPropertyMap(context);
		return event;
	}

	private static List<String> names(JsonNode node) {
		return new ArrayList<>(node.propertyNames());
	}

}
