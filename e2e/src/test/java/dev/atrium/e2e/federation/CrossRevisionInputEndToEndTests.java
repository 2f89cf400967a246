package dev.atrium.e2e.federation;

import java.time.Duration;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 2026-07-28 client (no session; multi round-trip requests) calls tools of an MCP Java
 * SDK server of 2025-11-25 that elicits and samples on its stream: Atrium holds the
 * target's call open, answers the client with an {@code InputRequiredResult} whose
 * {@code requestState} it sealed, and sends the client's {@code inputResponses} to the
 * target as responses when the client retries. Two replicas share the session keys: a
 * state presented to the replica that does not hold the call is refused as such.
 */
class CrossRevisionInputEndToEndTests {

	static JavaSdkUpstream target;

	static AtriumInstance replicaA;

	static AtriumInstance replicaB;

	@BeforeAll
	static void start() {
		target = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("sdk"));
		target.addAskingTools();
		Map<String, String> properties = Map.of("atrium.targets.sdk.url", target.mcpUrl(), "atrium.targets.sdk.era",
				"legacy", "atrium.scenarios.internal.targets", "sdk", "atrium.federation.input-window", "4s");
		replicaA = AtriumInstance.start(properties);
		replicaB = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { replicaA, replicaB, target }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@BeforeEach
	void toolsListed() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> call(replicaA, "tools/list", null, "{}", "{}").body().contains("sdk___ask_name"));
		target.clearRecordings();
	}

	@Test
	void aSessionlessClientAnswersAnOlderTargetsElicitationByRetryingTheCall() {
		JsonNode asked = call(replicaA, "tools/call", "sdk___ask_name",
				"{\"name\":\"sdk___ask_name\",\"arguments\":{}}", "{\"elicitation\":{}}")
			.json();
		JsonNode result = asked.path("result");
		assertThat(result.path("resultType").asString()).isEqualTo("input_required");
		assertThat(result.path("inputRequests").properties()).singleElement().satisfies((entry) -> {
			assertThat(entry.getValue().path("method").asString()).isEqualTo("elicitation/create");
			assertThat(entry.getValue().path("params").path("message").asString()).isEqualTo("Your name?");
		});
		String key = result.path("inputRequests").propertyNames().iterator().next();
		String state = result.path("requestState").asString();

		String retry = retry("sdk___ask_name", state,
				"{\"" + key + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}");
		JsonNode answered = call(replicaA, "tools/call", "sdk___ask_name", retry, "{\"elicitation\":{}}").json();
		assertThat(answered.path("result").path("resultType").asString()).isEqualTo("complete");
		assertThat(text(answered)).isEqualTo("hello Ada");
		// The target's call was one call all along, its question answered in it.
		assertThat(target.requests("tools/call")).hasSize(1);

		// The same state again finds nothing: the answer reached the target once.
		JsonNode again = call(replicaA, "tools/call", "sdk___ask_name", retry, "{\"elicitation\":{}}").json();
		assertThat(again.path("error").path("code").asInt()).isEqualTo(-32602);
		assertThat(again.path("error").path("data").path("reason").asString()).isEqualTo("unknown");
		assertThat(target.requests("tools/call")).hasSize(1);
	}

	@Test
	void aSessionlessClientAnswersAnOlderTargetsSamplingByRetryingTheCall() {
		JsonNode result = call(replicaA, "tools/call", "sdk___ask_model",
				"{\"name\":\"sdk___ask_model\",\"arguments\":{}}", "{\"sampling\":{}}")
			.json()
			.path("result");
		assertThat(result.path("resultType").asString()).isEqualTo("input_required");
		String key = result.path("inputRequests").propertyNames().iterator().next();
		assertThat(result.path("inputRequests").path(key).path("method").asString())
			.isEqualTo("sampling/createMessage");

		JsonNode answered = call(replicaA, "tools/call", "sdk___ask_model",
				retry("sdk___ask_model", result.path("requestState").asString(),
						"{\"" + key + "\":{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"Paris\"},"
								+ "\"model\":\"test-model\",\"stopReason\":\"endTurn\"}}"),
				"{\"sampling\":{}}")
			.json();
		assertThat(text(answered)).as(answered.toString()).isEqualTo("model said Paris");
	}

	@Test
	void aClientThatDidNotDeclareTheCapabilityIsNotAskedAndTheTargetIsRefused() {
		JsonNode answer = call(replicaA, "tools/call", "sdk___ask_name",
				"{\"name\":\"sdk___ask_name\",\"arguments\":{}}", "{}")
			.json();
		assertThat(answer.path("result").path("resultType").asString("")).isNotEqualTo("input_required");
		// The SDK target fails the call it could not ask in: an error, as the client's.
		assertThat(answer.has("error") || answer.path("result").path("isError").asBoolean()).isTrue();
	}

	@Test
	void aForgedStateIsRefusedWithoutReachingTheTarget() {
		JsonNode answer = call(replicaA, "tools/call", "sdk___ask_name",
				retry("sdk___ask_name", "atrium-held.AQVsb2NhbAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
						"{\"elicitation-1\":{\"action\":\"accept\",\"content\":{\"name\":\"Eve\"}}}"),
				"{\"elicitation\":{}}")
			.json();
		assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32602);
		assertThat(answer.path("error").path("data").path("reason").asString()).isEqualTo("forged");
		assertThat(target.requests("tools/call")).isEmpty();
	}

	@Test
	void aStatePresentedToAnotherReplicaIsRefusedAndTheHoldingReplicaStillTakesIt() {
		JsonNode result = call(replicaA, "tools/call", "sdk___ask_name",
				"{\"name\":\"sdk___ask_name\",\"arguments\":{}}", "{\"elicitation\":{}}")
			.json()
			.path("result");
		String key = result.path("inputRequests").propertyNames().iterator().next();
		String retry = retry("sdk___ask_name", result.path("requestState").asString(),
				"{\"" + key + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Bo\"}}}");

		JsonNode elsewhere = call(replicaB, "tools/call", "sdk___ask_name", retry, "{\"elicitation\":{}}").json();
		assertThat(elsewhere.path("error").path("data").path("reason").asString()).isEqualTo("other-replica");

		assertThat(text(call(replicaA, "tools/call", "sdk___ask_name", retry, "{\"elicitation\":{}}").json()))
			.isEqualTo("hello Bo");
	}

	@Test
	void aCallWhoseClientNeverComesBackIsCancelledAtTheTargetAndItsStateExpires() {
		JsonNode result = call(replicaA, "tools/call", "sdk___ask_name",
				"{\"name\":\"sdk___ask_name\",\"arguments\":{}}", "{\"elicitation\":{}}")
			.json()
			.path("result");
		assertThat(result.path("resultType").asString()).isEqualTo("input_required");

		target.awaitRequest((request) -> "notifications/cancelled".equals(request.jsonRpcMethod()),
				Duration.ofSeconds(30));

		String key = result.path("inputRequests").propertyNames().iterator().next();
		JsonNode late = call(replicaA, "tools/call", "sdk___ask_name",
				retry("sdk___ask_name", result.path("requestState").asString(),
						"{\"" + key + "\":{\"action\":\"accept\",\"content\":{\"name\":\"Late\"}}}"),
				"{\"elicitation\":{}}")
			.json();
		assertThat(late.path("error").path("data").path("reason").asString()).isEqualTo("expired");
		assertThat(target.requests("tools/call")).hasSize(1);
	}

	private static String retry(String tool, String state, String inputResponses) {
		return "{\"name\":\"" + tool + "\",\"arguments\":{},\"requestState\":\"" + state + "\",\"inputResponses\":"
				+ inputResponses + "}";
	}

	/**
	 * A 2026-07-28 request: no session, its method and name in headers, its revision in
	 * _meta.
	 */
	private static Mcp.Response call(AtriumInstance replica, String method, String name, String params,
			String capabilities) {
		String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":" + capabilities + "}";
		String withMeta = params.equals("{}") ? "{" + meta + "}"
				: params.substring(0, params.length() - 1) + "," + meta + "}";
		Map<String, String> headers = (name != null)
				? Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method, "Mcp-Name", name)
				: Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method);
		return Mcp.post(replica.mcpUrl("/internal"), null,
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + withMeta + "}", headers);
	}

	private static String text(JsonNode answer) {
		return answer.path("result").path("content").path(0).path("text").asString("");
	}

}
