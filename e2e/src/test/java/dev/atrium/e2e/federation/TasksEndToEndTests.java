package dev.atrium.e2e.federation;

import java.time.Duration;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.ServerEverything;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks (2025-11-25, experimental) of a federated target, used through Atrium as if
 * directly: the reference server ({@code server-everything}), whose
 * {@code simulate-research-query} tool must be called as a task, next to an MCP Java SDK
 * server that has no tasks. The client sees Atrium's task ids, and every task method
 * reaches the target with its own.
 */
class TasksEndToEndTests {

	static ServerEverything everything;

	static JavaSdkUpstream java;

	static AtriumInstance atrium;

	String url;

	String session;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		java = JavaSdkUpstream.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.targets.java.url", java.mcpUrl(), "atrium.scenarios.internal.path", "/internal",
				"atrium.scenarios.internal.targets", "everything,java"));
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable peer : new AutoCloseable[] { atrium, java, everything }) {
			try {
				if (peer != null) {
					peer.close();
				}
			}
			catch (Exception ex) {
				// The others are stopped all the same.
			}
		}
	}

	@BeforeEach
	void initialize() {
		this.url = atrium.mcpUrl("/internal");
		Mcp.Response initialized = Mcp.initialize(this.url);
		assertThat(initialized.status()).isEqualTo(200);
		this.session = initialized.sessionId();
		JsonNode tasks = initialized.json().get("result").get("capabilities").get("tasks");
		assertThat(tasks).as("the merged server has the target's tasks").isNotNull();
		assertThat(tasks.has("list")).isTrue();
		assertThat(tasks.has("cancel")).isTrue();
		assertThat(tasks.path("requests").path("tools").has("call")).isTrue();
	}

	@Test
	void aToolCalledAsATaskIsFollowedToItsResultUnderAtriumsTaskId() {
		JsonNode tool = tool("everything___simulate-research-query");
		assertThat(tool.path("execution").path("taskSupport").asString()).isEqualTo("required");

		String taskId = createResearchTask("federated gateways");
		assertThat(taskId).startsWith("task.");

		JsonNode listed = request("tasks/list", "{}").get("result").get("tasks");
		assertThat(listed.findValuesAsString("taskId")).contains(taskId);

		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			JsonNode task = request("tasks/get", "{\"taskId\":\"" + taskId + "\"}").get("result");
			assertThat(task.get("taskId").asString()).isEqualTo(taskId);
			assertThat(task.get("status").asString()).isEqualTo("completed");
		});
		JsonNode result = request("tasks/result", "{\"taskId\":\"" + taskId + "\"}").get("result");
		assertThat(result.get("content").get(0).get("text").asString()).contains("Research Report: federated gateways");
		JsonNode related = result.path("_meta").path("io.modelcontextprotocol/related-task").path("taskId");
		if (!related.isMissingNode()) {
			assertThat(related.asString()).isEqualTo(taskId);
		}
	}

	@Test
	void aTaskIsCancelledThroughAtrium() {
		String taskId = createResearchTask("cancelled research");

		JsonNode cancelled = request("tasks/cancel", "{\"taskId\":\"" + taskId + "\"}").get("result");

		assertThat(cancelled.get("taskId").asString()).isEqualTo(taskId);
		assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
		assertThat(request("tasks/get", "{\"taskId\":\"" + taskId + "\"}").get("result").get("status").asString())
			.isEqualTo("cancelled");
	}

	@Test
	void aTaskIdAtriumDidNotGiveIsAnInvalidParameter() {
		JsonNode forged = request("tasks/get", "{\"taskId\":\"task.bm90LWEtdGFzaw\"}");
		JsonNode raw = request("tasks/get", "{\"taskId\":\"786512e2-9e0d-44bd-8f29-789f320fe840\"}");

		assertThat(forged.get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(raw.get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(raw.get("error").get("message").asString()).contains("Unknown task");
	}

	/**
	 * MCP 2026-07-28 moved tasks out of the core protocol into the
	 * {@code io.modelcontextprotocol/tasks} extension (SEP-2663), which Atrium does not
	 * serve: a sessionless client is not offered the 2025-11-25 tasks, and their methods
	 * are not found.
	 */
	@Test
	void aSessionlessClientIsOfferedNoTasks() {
		String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{}}";
		Mcp.Response discovered = Mcp.post(this.url, null,
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{" + meta + "}}",
				Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover"));
		Mcp.Response get = Mcp.post(this.url, null,
				"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tasks/get\",\"params\":{\"taskId\":\"t\"," + meta + "}}",
				Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tasks/get"));

		assertThat(discovered.status()).isEqualTo(200);
		JsonNode capabilities = discovered.json().path("result").path("capabilities");
		assertThat(capabilities.has("tools")).isTrue();
		assertThat(capabilities.has("tasks")).isFalse();
		assertThat(get.status()).isEqualTo(404);
		assertThat(get.json().path("error").path("code").asInt()).isEqualTo(-32601);
	}

	private String createResearchTask(String topic) {
		JsonNode created = request("tools/call", """
				{"name":"everything___simulate-research-query","arguments":{"topic":"%s"},"task":{"ttl":60000}}"""
			.formatted(topic));
		JsonNode task = created.get("result").get("task");
		assertThat(task).as(created.toString()).isNotNull();
		assertThat(task.get("status").asString()).isEqualTo("working");
		return task.get("taskId").asString();
	}

	private JsonNode tool(String name) {
		for (JsonNode tool : request("tools/list", "{}").get("result").get("tools")) {
			if (tool.get("name").asString().equals(name)) {
				return tool;
			}
		}
		throw new AssertionError("no tool " + name);
	}

	private JsonNode request(String method, String params) {
		Mcp.Response response = Mcp.post(this.url, this.session,
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

}
