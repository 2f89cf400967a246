package dev.atrium.gateway.transport;

import dev.atrium.gateway.McpRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Hostile input on a running Atrium: every limit answers in the transport's terms, an
 * HTTP status with a JSON-RPC error, and the server goes on serving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.server.max-request-body=4KB", "atrium.server.max-json-depth=16" })
@ActiveProfiles("anonymous")
class AbuseLimitsRouteTests {

	@LocalServerPort
	int port;

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

}
