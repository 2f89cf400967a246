package dev.atrium.gateway.federation;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.McpRequests;
import dev.atrium.mcp.catalog.TargetCatalogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sessionless (2026-07-28) client that takes streams gets a target's streamed answer as
 * it comes: no event ids, no priming event, nothing kept for a resumption that revision
 * does not have.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class SessionlessStreamRouteTests {

	static final LocalMcpTarget target = LocalMcpTarget.start();

	@LocalServerPort
	int port;

	@Autowired
	AtriumFederation federation;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.local.url", target::url);
		registry.add("atrium.scenarios.internal.targets", () -> "local");
	}

	@AfterAll
	static void stop() {
		target.close();
	}

	@Test
	void aStreamedAnswerReachesASessionlessClientWithoutEventIds() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (int attempt = 0; attempt < 5 && !catalogs.health("local").up(); attempt++) {
			catalogs.refresh("local").block();
		}
		String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{},"
				+ "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"stream\",\"version\":\"1\"}}";
		WebTestClient.ResponseSpec answer = McpRequests.post(McpRequests.client(this.port), "/internal/mcp", null, null)
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", "tools/call")
			.header("Mcp-Name", "local___progress")
			.bodyValue(
					"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"local___progress\","
							+ "\"arguments\":{\"count\":3,\"intervalMs\":20}," + meta + "}}")
			.exchange()
			.expectStatus()
			.isOk();

		answer.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM);
		String body = answer.expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("\"text\":\"done\"").contains("\"resultType\":\"complete\"");
		assertThat(body.lines()).noneMatch((line) -> line.startsWith("id:") || line.startsWith("retry:"));
	}

}
