package dev.atrium.gateway.federation;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.RevisionTarget;
import dev.atrium.mcp.catalog.TargetCatalogs;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A client of an older revision (the MCP Java SDK client, 2025-11-25, with a session)
 * calls a 2026-07-28 target ({@link RevisionTarget}) that answers with an
 * {@code InputRequiredResult}: Atrium asks the client on the call's stream, as a server
 * of its revision would, and retries the target's request with the client's answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class InputRequiredForOlderClientsRouteTests {

	static final RevisionTarget target = RevisionTarget.start(RevisionTarget.MODERN);

	@LocalServerPort
	int port;

	@Autowired
	AtriumFederation federation;

	final List<McpSyncClient> clients = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.modern.url", target::url);
		registry.add("atrium.scenarios.internal.targets", () -> "modern");
	}

	@AfterAll
	static void stop() {
		target.close();
	}

	@BeforeEach
	void catalog() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (int attempt = 0; attempt < 5 && !catalogs.health("modern").up(); attempt++) {
			catalogs.refresh("modern").block();
		}
		target.reset();
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(McpSyncClient::closeGracefully);
	}

	@Test
	void anOlderClientAnswersASessionlessTargetsElicitationAsAServerRequest() {
		List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
		McpSyncClient client = client(McpClient.sync(transport())
			.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> {
				asked.add(request);
				return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada"));
			}));

		McpSchema.CallToolResult result = client
			.callTool(McpSchema.CallToolRequest.builder("modern___ask").arguments(Map.of()).build());

		assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("hello Ada");
		assertThat(asked).singleElement().satisfies((request) -> assertThat(request.message()).isEqualTo("Your name?"));
		List<LocalMcpTarget.Seen> calls = target.seen()
			.stream()
			.filter((seen) -> seen.method().equals("tools/call"))
			.toList();
		assertThat(calls).hasSize(2);
		// The target is told what the client declared, and retried with a new id.
		assertThat(calls.get(0)
			.message()
			.path("params")
			.path("_meta")
			.path("io.modelcontextprotocol/clientCapabilities")
			.has("elicitation")).isTrue();
		assertThat(calls.get(1).message().path("params").path("requestState").asString()).isEqualTo("asked-1");
		assertThat(calls.get(1).message().path("id")).isNotEqualTo(calls.get(0).message().path("id"));
	}

	@Test
	void anOlderClientThatDidNotDeclareElicitationGetsAnErrorInsteadOfAQuestion() {
		McpSyncClient client = client(McpClient.sync(transport()));

		assertThatExceptionOfType(McpError.class).isThrownBy(
				() -> client.callTool(McpSchema.CallToolRequest.builder("modern___ask").arguments(Map.of()).build()))
			.satisfies((error) -> assertThat(error.getMessage()).contains("elicitation/create"));
		// Asked once, never retried without an answer.
		assertThat(target.seen()).filteredOn((seen) -> seen.method().equals("tools/call")).hasSize(1);
	}

	@Test
	void aTargetThatKeepsAskingIsGivenUpAfterABoundedNumberOfRounds() {
		McpSyncClient client = client(McpClient.sync(transport())
			.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null)));

		// The test target asks again while it has no name.
		assertThatExceptionOfType(McpError.class).isThrownBy(
				() -> client.callTool(McpSchema.CallToolRequest.builder("modern___ask").arguments(Map.of()).build()))
			.satisfies((error) -> assertThat(error.getMessage()).contains("more than"));
		// The first call and sixteen retries; the seventeenth question ends it.
		assertThat(target.seen()).filteredOn((seen) -> seen.method().equals("tools/call")).hasSize(17);
	}

	private McpSyncClient client(McpClient.SyncSpec spec) {
		McpSyncClient client = spec.clientInfo(McpSchema.Implementation.builder("older-client", "1").build())
			.requestTimeout(Duration.ofSeconds(20))
			.build();
		this.clients.add(client);
		client.initialize();
		return client;
	}

	private HttpClientStreamableHttpTransport transport() {
		return HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + this.port)
			.endpoint("/internal/mcp")
			.clientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
			.build();
	}

}
