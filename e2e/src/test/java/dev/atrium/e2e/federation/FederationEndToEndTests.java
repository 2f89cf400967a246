package dev.atrium.e2e.federation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkClients;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.ServerEverything;
import dev.atrium.e2e.support.TsSdkClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.atrium.e2e.support.TsSdkClient.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One virtual server over three real targets: the official TypeScript reference server
 * (current and the last paginating edition) and an upstream written with the MCP Java
 * SDK, used by the official TypeScript and Java SDK clients.
 */
class FederationEndToEndTests {

	static ServerEverything everything;

	static ServerEverything paginated;

	static JavaSdkUpstream java;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		paginated = ServerEverything.start(ServerEverything.Edition.LEGACY_PAGINATED);
		java = JavaSdkUpstream.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.targets.legacy.url", paginated.mcpUrl(), "atrium.targets.java.url", java.mcpUrl(),
				"atrium.federation.page-size", "25", "atrium.scenarios.internal.path", "/internal",
				"atrium.scenarios.internal.targets", "everything,java,legacy"));
	}

	@AfterAll
	static void stop() {
		close(atrium);
		close(java);
		close(paginated);
		close(everything);
	}

	@Test
	void theTypeScriptClientListsEveryTargetsToolsAcrossPages() {
		JsonNode run = TsSdkClient.connected(TsSdkClient.run(atrium.mcpUrl("/internal"), List.of(step("listTools"))));
		assertThat(run.get("serverInfo").get("name").asString()).isEqualTo("atrium");
		assertThat(run.get("sessionId").asString()).isNotBlank();
		JsonNode tools = run.get("steps").get(0).get("result");
		List<String> names = names(tools.get("items"), "name");
		assertThat(names)
			.contains("everything___echo", "everything___get-sum", "java___reverse", "java___multiply", "legacy___add",
					"legacy___echo")
			.doesNotHaveDuplicates()
			.allSatisfy((name) -> assertThat(name).hasSizeLessThanOrEqualTo(64));
		assertThat(tools.get("pages").asInt()).as("25 per page").isEqualTo((names.size() + 24) / 25);
	}

	@Test
	void upstreamPaginationIsFollowedToTheEnd() {
		JsonNode run = TsSdkClient
			.connected(TsSdkClient.run(atrium.mcpUrl("/internal"), List.of(step("listResources"))));
		List<String> uris = names(run.get("steps").get(0).get("result").get("items"), "uri");
		// The legacy reference server lists 100 resources, 10 per page.
		assertThat(uris).contains("test://static/resource/1", "test://static/resource/100", "notes://welcome")
			.doesNotHaveDuplicates();
		assertThat(uris.stream().filter((uri) -> uri.startsWith("test://static/resource/"))).hasSize(100);
	}

	@Test
	void theTypeScriptClientCallsReadsAndGetsThroughTheGateway() {
		JsonNode run = TsSdkClient.connected(
				TsSdkClient.run(atrium.mcpUrl("/internal"),
						List.of(step("callTool", "name", "everything___echo", "arguments", Map.of("message", "hi")),
								step("callTool", "name", "java___reverse", "arguments", Map.of("text", "atrium")),
								step("readResource", "uri", "test://static/resource/57"),
								step("readResource", "uri", "notes://42"), step("getPrompt", "name",
										"everything___args-prompt", "arguments", Map.of("city", "Lisbon")),
								step("ping"))));
		JsonNode steps = run.get("steps");
		assertThat(steps.get(0).get("result").get("content").get(0).get("text").asString()).contains("hi");
		assertThat(steps.get(1).get("result").get("content").get(0).get("text").asString()).isEqualTo("muirta");
		assertThat(steps.get(2).get("result").get("contents").get(0).get("uri").asString())
			.isEqualTo("test://static/resource/57");
		assertThat(steps.get(3).get("result").get("contents").get(0).get("text").asString()).contains("42");
		assertThat(steps.get(4).get("result").get("messages").toString()).contains("Lisbon");
		assertThat(steps.get(5).has("result")).isTrue();
	}

	@Test
	void unknownNamesAreJsonRpcErrors() {
		JsonNode run = TsSdkClient.connected(TsSdkClient.run(atrium.mcpUrl("/internal"),
				List.of(step("callTool", "name", "nobody___nothing", "arguments", Map.of()),
						step("getPrompt", "name", "java___missing"), step("readResource", "uri", "nowhere://x"))));
		JsonNode steps = run.get("steps");
		assertThat(steps.get(0).get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(steps.get(0).get("error").get("message").asString()).contains("Unknown tool: nobody___nothing");
		assertThat(steps.get(1).get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(steps.get(2).get("error").get("code").asInt()).isEqualTo(-32002);
	}

	@Test
	void theJavaSdkClientListsCallsReadsAndGets() {
		try (McpSyncClient client = JavaSdkClients.connect(atrium.mcpUrl("/internal"))) {
			List<String> names = new ArrayList<>();
			String cursor = null;
			do {
				McpSchema.ListToolsResult page = client.listTools(cursor);
				page.tools().forEach((tool) -> names.add(tool.name()));
				cursor = page.nextCursor();
			}
			while (cursor != null);
			assertThat(names).contains("everything___echo", "java___reverse", "legacy___add");
			McpSchema.CallToolResult result = client
				.callTool(new McpSchema.CallToolRequest("java___multiply", Map.of("a", 6, "b", 7)));
			assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("42");
			McpSchema.ReadResourceResult read = client
				.readResource(new McpSchema.ReadResourceRequest("notes://welcome"));
			assertThat(((McpSchema.TextResourceContents) read.contents().get(0)).text()).isNotBlank();
			McpSchema.GetPromptResult prompt = client
				.getPrompt(new McpSchema.GetPromptRequest("java___summarize", Map.of("topic", "gateways")));
			assertThat(prompt.messages().toString()).contains("gateways");
			assertThatExceptionOfType(McpError.class)
				.isThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("java___nope", Map.of())))
				.satisfies((ex) -> assertThat(ex.getJsonRpcError().code()).isEqualTo(-32602));
		}
	}

	@Test
	void thePassThroughRouteServesOneTargetUnrenamedWithItsOwnSessions() {
		JsonNode run = TsSdkClient.connected(TsSdkClient.run(atrium.baseUrl() + "/internal/targets/everything/mcp", List
			.of(step("listTools"), step("callTool", "name", "echo", "arguments", Map.of("message", "direct")))));
		assertThat(run.get("serverInfo").get("name").asString()).isEqualTo("mcp-servers/everything");
		assertThat(names(run.get("steps").get(0).get("result").get("items"), "name")).contains("echo", "get-sum")
			.noneMatch((name) -> name.contains("___"));
		assertThat(run.get("steps").get(1).get("result").get("content").get(0).get("text").asString())
			.contains("direct");
	}

	private static List<String> names(JsonNode items, String member) {
		List<String> names = new ArrayList<>();
		items.forEach((item) -> names.add(item.get(member).asString()));
		return names;
	}

	private static void close(AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

}
