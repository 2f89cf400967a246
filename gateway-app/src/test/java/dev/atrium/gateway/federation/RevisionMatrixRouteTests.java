package dev.atrium.gateway.federation;

import java.util.List;
import java.util.Map;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.RevisionTarget;
import dev.atrium.mcp.catalog.TargetCatalogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients of every revision Atrium speaks (2025-03-26, 2025-06-18, 2025-11-25 with a
 * session, 2026-07-28 without) reach targets of every revision (one target per revision,
 * {@link RevisionTarget}) through one virtual server: each call is served by its target
 * in the target's own revision, whichever revision the client speaks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class RevisionMatrixRouteTests {

	static final Map<String, RevisionTarget> targets = Map.of("r20250326", RevisionTarget.start("2025-03-26"),
			"r20250618", RevisionTarget.start("2025-06-18"), "r20251125", RevisionTarget.start("2025-11-25"),
			"r20260728", RevisionTarget.start(RevisionTarget.MODERN));

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	AtriumFederation federation;

	WebTestClient client;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		targets.forEach((name, target) -> registry.add("atrium.targets." + name + ".url", target::url));
		registry.add("atrium.scenarios.internal.targets", () -> String.join(",", targets.keySet()));
		registry.add("atrium.targets.r20250618.era", () -> "legacy");
	}

	@AfterAll
	static void stop() {
		targets.values().forEach(RevisionTarget::close);
	}

	@BeforeEach
	void catalogs() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (String target : targets.keySet()) {
			for (int attempt = 0; attempt < 5 && !catalogs.health(target).up(); attempt++) {
				catalogs.refresh(target).block();
			}
		}
		this.client = McpRequests.client(this.port);
		targets.values().forEach(RevisionTarget::reset);
	}

	@ParameterizedTest(name = "a {0} client reaches targets of every revision")
	@ValueSource(strings = { "2025-03-26", "2025-06-18", "2025-11-25" })
	void aClientWithASessionReachesTargetsOfEveryRevision(String revision) {
		String initialize = """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s",
				 "capabilities":{},"clientInfo":{"name":"matrix","version":"1"}}}""".formatted(revision);
		WebTestClient.ResponseSpec opened = McpRequests.post(this.client, "/internal/mcp", null, null)
			.bodyValue(initialize)
			.exchange()
			.expectStatus()
			.isOk();
		String session = opened.returnResult(String.class).getResponseHeaders().getFirst("Mcp-Session-Id");
		opened.expectBody().jsonPath("$.result.protocolVersion").isEqualTo(revision);
		legacy(session, revision, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").expectStatus()
			.isAccepted();
		JsonNode tools = body(legacy(session, revision, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"));
		assertThat(tools.path("result").path("tools").findValuesAsString("name"))
			.containsAll(targets.keySet().stream().map((name) -> name + "___whoami").toList());
		targets.forEach((name, target) -> {
			JsonNode answer = body(legacy(session, revision, """
					{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"%s___whoami","arguments":{}}}"""
				.formatted(name)));
			assertThat(text(answer)).startsWith("served " + target.revision() + " in session ");
			assertThat(target.seen()).filteredOn((seen) -> seen.method().equals("tools/call"))
				.singleElement()
				.satisfies(
						(seen) -> assertThat(seen.headers()).containsEntry("mcp-protocol-version", target.revision()));
		});
	}

	@Test
	void aSessionlessClientReachesTargetsOfEveryRevision() {
		JsonNode discover = body(modern("server/discover", null, "{}"));
		assertThat(discover.path("result").path("supportedVersions").valueStream().map(JsonNode::asString))
			.containsExactly("2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26");
		assertThat(discover.path("result").path("resultType").asString()).isEqualTo("complete");
		assertThat(discover.path("result").path("capabilities").has("tools")).isTrue();
		JsonNode tools = body(modern("tools/list", null, "{}"));
		assertThat(tools.path("result").path("tools")).hasSize(targets.size() + 2);
		assertThat(tools.path("result").path("ttlMs").isInt()).isTrue();
		assertThat(tools.path("result").path("cacheScope").asString()).isEqualTo("private");
		targets.forEach((name, target) -> {
			for (int call = 0; call < 2; call++) {
				JsonNode answer = body(modern("tools/call", name + "___whoami",
						"{\"name\":\"" + name + "___whoami\",\"arguments\":{}}"));
				assertThat(answer.path("result").path("resultType").asString()).isEqualTo("complete");
				assertThat(text(answer)).startsWith("served " + target.revision());
			}
			List<LocalMcpTarget.Seen> calls = target.seen()
				.stream()
				.filter((seen) -> seen.method().equals("tools/call"))
				.toList();
			assertThat(calls).hasSize(2);
			if (target.revision().equals(RevisionTarget.MODERN)) {
				// Sessionless all the way: headers mirrored, revision and capabilities in
				// _meta, no session.
				assertThat(calls).allSatisfy((seen) -> {
					assertThat(seen.headers()).containsEntry("mcp-method", "tools/call")
						.containsEntry("mcp-name", "whoami")
						.doesNotContainKey("mcp-session-id");
					assertThat(seen.message()
						.path("params")
						.path("_meta")
						.path("io.modelcontextprotocol/protocolVersion")
						.asString()).isEqualTo(RevisionTarget.MODERN);
				});
			}
			else {
				// One session with the target, opened for this caller and kept between
				// calls; the 2026-07-28 _meta keys are not sent to it.
				assertThat(calls).extracting((seen) -> seen.headers().get("mcp-session-id")).doesNotContainNull();
				assertThat(calls.get(0).headers().get("mcp-session-id"))
					.isEqualTo(calls.get(1).headers().get("mcp-session-id"));
				assertThat(calls)
					.allSatisfy((seen) -> assertThat(seen.body()).doesNotContain("io.modelcontextprotocol/"));
			}
		});
	}

	@Test
	void aSessionlessRequestWhoseNameHeaderDiffersFromItsBodyIsRefusedWithoutReachingTheTarget() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", "tools/call")
			.header("Mcp-Name", "r20250326___whoami")
			.bodyValue("""
					{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"r20251125___whoami","arguments":{},
					 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
					 "io.modelcontextprotocol/clientCapabilities":{}}}}""")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(9)
			.jsonPath("$.error.code")
			.isEqualTo(-32020);
		targets.values().forEach((target) -> assertThat(target.seen()).isEmpty());
	}

	@Test
	void aSessionlessClientAnswersASessionlessTargetsQuestionByRetryingTheCall() {
		JsonNode asked = body(
				modern("tools/call", "r20260728___ask", "{\"name\":\"r20260728___ask\",\"arguments\":{}}"));
		assertThat(asked.path("result").path("resultType").asString()).isEqualTo("input_required");
		assertThat(asked.path("result").path("inputRequests").path("name").path("method").asString())
			.isEqualTo("elicitation/create");
		// An interim result is not cacheable: no hints added.
		assertThat(asked.path("result").has("ttlMs")).isFalse();
		JsonNode answered = body(modern("tools/call", "r20260728___ask",
				"{\"name\":\"r20260728___ask\",\"arguments\":{},\"requestState\":\""
						+ asked.path("result").path("requestState").asString()
						+ "\",\"inputResponses\":{\"name\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}}"));
		assertThat(answered.path("result").path("resultType").asString()).isEqualTo("complete");
		assertThat(text(answered)).isEqualTo("hello Ada");
	}

	@Test
	void aSessionlessClientsLogLevelIsSetOnAnOlderTargetsSessionOnlyWhenItChanges() {
		for (String level : List.of("debug", "debug", "error")) {
			McpRequests.post(this.client, "/internal/mcp", null, null)
				.header("MCP-Protocol-Version", "2026-07-28")
				.header("Mcp-Method", "tools/call")
				.header("Mcp-Name", "r20251125___whoami")
				.bodyValue(
						"""
								{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"r20251125___whoami","arguments":{},
								 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
								 "io.modelcontextprotocol/clientCapabilities":{},
								 "io.modelcontextprotocol/logLevel":"%s"}}}"""
							.formatted(level))
				.exchange()
				.expectStatus()
				.isOk();
		}
		List<LocalMcpTarget.Seen> seen = targets.get("r20251125").seen();
		// The caller's session with the target may be opened here (initialize) or before.
		assertThat(seen).extracting(LocalMcpTarget.Seen::method)
			.filteredOn((method) -> method.equals("logging/setLevel") || method.equals("tools/call"))
			.containsExactly("logging/setLevel", "tools/call", "tools/call", "logging/setLevel", "tools/call");
		assertThat(seen).filteredOn((one) -> one.method().equals("logging/setLevel"))
			.extracting((one) -> one.message().path("params").path("level").asString())
			.containsExactly("debug", "error");
		// Only a session-ful target's session has a level; a sessionless target reads it
		// from each request.
		assertThat(targets.get("r20260728").methodsEverSeen()).doesNotContain("logging/setLevel");
	}

	@Test
	void markedArgumentsAreCheckedAgainstTheirHeadersAndMirroredToASessionlessTarget() {
		String call = "{\"name\":\"r20260728___locate\",\"arguments\":{\"region\":\"us-west1\"}}";
		modern("tools/call", "r20260728___locate", call).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32020);
		assertThat(targets.get("r20260728").seen()).isEmpty();
		// A client of an older revision sends no such header: Atrium adds it for the
		// target.
		String session = McpRequests.initialize(this.client, "/internal/mcp", null);
		JsonNode answer = body(legacy(session, "2025-11-25",
				"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":" + call + "}"));
		assertThat(text(answer)).isEqualTo("in us-west1");
		assertThat(targets.get("r20260728").seen()).filteredOn((seen) -> seen.method().equals("tools/call"))
			.singleElement()
			.satisfies((seen) -> assertThat(seen.headers()).containsEntry("mcp-param-region", "us-west1"));
	}

	@Test
	void aTargetIsAskedItsEraOnceUnlessConfigured() {
		assertThat(targets.get("r20251125").methodsEverSeen()).contains("server/discover", "initialize");
		assertThat(targets.get("r20250618").methodsEverSeen()).contains("initialize").doesNotContain("server/discover");
		assertThat(targets.get("r20260728").methodsEverSeen()).contains("server/discover").doesNotContain("initialize");
	}

	@Test
	void aMethodTheSessionlessRevisionDoesNotHaveIsNotFound() {
		modern("ping", null, "{}").expectStatus().isNotFound().expectBody().jsonPath("$.error.code").isEqualTo(-32601);
	}

	@Test
	void aRevisionAtriumDoesNotSpeakIsRefusedWithTheOnesItDoes() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("MCP-Protocol-Version", "2099-01-01")
			.header("Mcp-Method", "tools/list")
			.bodyValue("""
					{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{
					 "_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01",
					 "io.modelcontextprotocol/clientCapabilities":{}}}}""")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32022)
			.jsonPath("$.error.data.supported[0]")
			.isEqualTo("2026-07-28");
	}

	@Test
	void aSessionlessTargetIsDiscoveredThroughItsOwnRouteAsItIs() {
		WebTestClient.ResponseSpec response = McpRequests
			.post(this.client, "/internal/targets/r20260728/mcp", null, null)
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", "server/discover")
			.bodyValue("""
					{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{
					 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
					 "io.modelcontextprotocol/clientCapabilities":{}}}}""")
			.exchange();
		JsonNode discover = body(response);
		assertThat(discover.path("result")
			.path("_meta")
			.path("io.modelcontextprotocol/serverInfo")
			.path("name")
			.asString()).isEqualTo("rev-2026-07-28");
	}

	private WebTestClient.ResponseSpec legacy(String session, String revision, String body) {
		WebTestClient.RequestBodySpec request = McpRequests.post(this.client, "/internal/mcp", null, session);
		if (!revision.equals("2025-03-26")) {
			request.header("MCP-Protocol-Version", revision);
		}
		return request.bodyValue(body).exchange();
	}

	private WebTestClient.ResponseSpec modern(String method, String name, String params) {
		String withMeta = params.substring(0, params.length() - 1) + (params.equals("{}") ? "" : ",")
				+ "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{},"
				+ "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"matrix\",\"version\":\"1\"}}}";
		WebTestClient.RequestBodySpec request = McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", method);
		if (name != null) {
			request.header("Mcp-Name", name);
		}
		return request
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\",\"params\":" + withMeta + "}")
			.exchange();
	}

	private static JsonNode body(WebTestClient.ResponseSpec response) {
		return JSON.readTree(response.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
	}

	private static String text(JsonNode answer) {
		return answer.path("result").path("content").path(0).path("text").asString("");
	}

}
