package dev.atrium.gateway.transport;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.RawHttpConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input on a running Atrium: every limit answers in the transport's terms, an
 * HTTP status with a JSON-RPC error where Atrium answers, and the server goes on serving.
 * The header limit is the default of {@code application.yml}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.server.max-request-body=4KB", "atrium.server.max-json-depth=16",
				"atrium.server.body-read-timeout=500ms", "server.netty.idle-timeout=300ms" })
@ActiveProfiles("anonymous")
class AbuseLimitsRouteTests {

	/** Long enough for any answer on loopback, short enough that a hang fails fast. */
	private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	WebTestClient client;

	@BeforeEach
	void client() {
		this.client = McpRequests.client(this.port);
	}

	@Test
	void jsonNestedDeeperThanTheLimitIsAParseErrorNamingTheLimit() {
		String deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + "[".repeat(16)
				+ "]".repeat(16) + "}";
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.bodyValue(deep)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32700)
			.jsonPath("$.error.message")
			.isEqualTo("Parse error: the JSON is nested deeper than 16 levels")
			.jsonPath("$.id")
			.isEmpty();
		McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	@Test
	void headersOverSixteenKilobytesGet431AndTheServerGoesOnServing() {
		try (RawHttpConnection connection = RawHttpConnection.open(this.port, READ_TIMEOUT)) {
			// Over Netty's own 8KB default, under Atrium's 16KB.
			connection.send(RawHttpConnection.mcpPostHead("/internal/mcp", "X-Padding: " + "p".repeat(12 * 1024),
					"Content-Length: " + McpRequests.INITIALIZE.length()) + McpRequests.INITIALIZE);
			assertThat(connection.readResponse().status()).isEqualTo(200);
		}
		try (RawHttpConnection connection = RawHttpConnection.open(this.port, READ_TIMEOUT)) {
			connection.send(RawHttpConnection.mcpPostHead("/internal/mcp", "X-Padding: " + "p".repeat(17 * 1024),
					"Content-Length: " + McpRequests.INITIALIZE.length()) + McpRequests.INITIALIZE);
			assertThat(connection.readResponse().status()).isEqualTo(431);
			assertThat(connection.closedByServer()).isTrue();
		}
		McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/internal/mcp", "/internal/targets/demo/mcp" })
	void aChunkedBodyOverTheLimitGets413WithAJsonRpcErrorAndTheConnectionIsClosed(String path) {
		double counted = refusals("413", "body_too_large");
		try (RawHttpConnection connection = RawHttpConnection.open(this.port, READ_TIMEOUT)) {
			connection.send(RawHttpConnection.mcpPostHead(path, "Transfer-Encoding: chunked"));
			// 5000 bytes against 4KB, and no last chunk: a body that would never end.
			String chunk = RawHttpConnection.chunk("x".repeat(1000));
			for (int i = 0; i < 5; i++) {
				connection.send(chunk);
			}
			RawHttpConnection.Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(413);
			assertThat(response.headers()).containsEntry("connection", "close");
			assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
					+ "\"message\":\"Content Too Large: the body exceeds 4096 bytes\"}}");
			assertThat(connection.closedByServer()).isTrue();
		}
		// On a scenario's endpoint the MCP handler itself answers, and counts the request
		// with the others; on a pass-through route the body cap does.
		boolean passThrough = path.contains("/targets/");
		assertThat(refusals("413", "body_too_large")).isEqualTo(passThrough ? counted + 1 : counted);
		McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	@Test
	void aForeignOriginGets403AndTheRefusalIsCountedByStatusAndReason() {
		double counted = refusals("403", "origin_not_allowed");
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("Origin", "https://evil.example")
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isForbidden();
		assertThat(refusals("403", "origin_not_allowed")).isEqualTo(counted + 1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/internal/mcp", "/internal/targets/demo/mcp" })
	void aBodyThatStopsHalfwayGets408WithAJsonRpcErrorAndTheConnectionIsClosed(String path) {
		double counted = refusals("408", "body_read_timeout");
		try (RawHttpConnection connection = RawHttpConnection.open(this.port, READ_TIMEOUT)) {
			connection.send(RawHttpConnection.mcpPostHead(path, "Content-Length: " + McpRequests.INITIALIZE.length())
					+ McpRequests.INITIALIZE.substring(0, 20));
			assertRequestTimeout(connection.readResponse());
			assertThat(connection.closedByServer()).isTrue();
		}
		assertThat(refusals("408", "body_read_timeout")).isEqualTo(counted + 1);
		McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	@Test
	void aBodyThatTricklesInGets408AlthoughEveryGapIsShorterThanTheTimeout() {
		ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
		try (RawHttpConnection connection = RawHttpConnection.open(this.port, READ_TIMEOUT)) {
			connection.send(RawHttpConnection.mcpPostHead("/internal/mcp",
					"Content-Length: " + McpRequests.INITIALIZE.length()));
			AtomicInteger sent = new AtomicInteger();
			// A client sending a byte every 100 ms, against 500 ms for the body.
			sender.scheduleAtFixedRate(
					() -> connection.send(String.valueOf(McpRequests.INITIALIZE.charAt(sent.getAndIncrement()))), 0,
					100, TimeUnit.MILLISECONDS);
			assertRequestTimeout(connection.readResponse());
			assertThat(sent.get()).isLessThan(McpRequests.INITIALIZE.length());
		}
		finally {
			sender.shutdownNow();
		}
	}

	@Test
	void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
		try (RawHttpConnection connection = RawHttpConnection.open(this.port, READ_TIMEOUT)) {
			assertThat(connection.closedByServer()).isTrue();
		}
	}

	/** What {@code atrium.mcp.refusals} counted for the internal scenario. */
	private double refusals(String status, String reason) {
		Counter counter = this.registry.find("atrium.mcp.refusals")
			.tags("scenario", "internal", "status", status, "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static void assertRequestTimeout(RawHttpConnection.Response response) {
		assertThat(response.status()).isEqualTo(408);
		assertThat(response.headers()).containsEntry("connection", "close");
		assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
				+ "\"message\":\"Request Timeout: the body did not arrive within 500 ms\"}}");
	}

}
