package dev.atrium.e2e.sessions;

import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.ServerEverything;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Atrium replicas that share only their session key ring: the requests of one session
 * alternate between them, with no sticky sessions and no shared store.
 */
class CrossReplicaSessionTests {

	static ServerEverything everything;

	static JavaSdkUpstream java;

	static AtriumInstance replicaA;

	static AtriumInstance replicaB;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		java = JavaSdkUpstream.start();
		Map<String, String> properties = Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.targets.java.url", java.mcpUrl(), "atrium.scenarios.internal.path", "/internal",
				"atrium.scenarios.internal.targets", "everything,java");
		replicaA = AtriumInstance.start(properties);
		replicaB = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { replicaA, replicaB, java, everything }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	void theRequestsOfOneSessionAlternateBetweenReplicas() {
		List<String> replicas = List.of(replicaA.mcpUrl("/internal"), replicaB.mcpUrl("/internal"));
		Mcp.Response initialized = Mcp.initialize(replicas.get(0));
		assertThat(initialized.status()).isEqualTo(200);
		String session = initialized.sessionId();
		assertThat(Mcp.post(replicas.get(1), session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
			.status()).isEqualTo(202);
		java.clearRecordings();
		for (int i = 0; i < 6; i++) {
			String replica = replicas.get(i % 2);
			JsonNode reversed = Mcp
				.post(replica, session,
						"""
								{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"java___reverse","arguments":{"text":"abc%d"}}}"""
							.formatted(i, i))
				.json();
			assertThat(reversed.get("result").get("content").get(0).get("text").asString()).isEqualTo(i + "cba");
			JsonNode echoed = Mcp
				.post(replica, session,
						"""
								{"jsonrpc":"2.0","id":"e%d","method":"tools/call","params":{"name":"everything___echo","arguments":{"message":"m%d"}}}"""
							.formatted(i, i))
				.json();
			assertThat(echoed.get("result").get("content").get(0).get("text").asString()).contains("m" + i);
			JsonNode listed = Mcp.post(replica, session, "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"method\":\"tools/list\"}")
				.json();
			assertThat(listed.get("result").get("tools").size()).isGreaterThan(10);
		}
		// Both replicas used the one upstream session opened at initialize.
		List<JavaSdkUpstream.RecordedRequest> calls = java.requests("tools/call");
		assertThat(calls).hasSize(6);
		assertThat(calls.stream().map(JavaSdkUpstream.RecordedRequest::sessionId).distinct()).hasSize(1);
		assertThat(java.requests("initialize")).isEmpty();
	}

	@Test
	void aSessionEndedOnOneReplicaIsEndedOnTheOther() {
		String session = Mcp.initialize(replicaA.mcpUrl("/internal")).sessionId();
		String call = """
				{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"java___reverse","arguments":{"text":"x"}}}""";
		assertThat(Mcp.post(replicaB.mcpUrl("/internal"), session, call).status()).isEqualTo(200);
		assertThat(Mcp.delete(replicaB.mcpUrl("/internal"), session).status()).isEqualTo(204);
		assertThat(Mcp.post(replicaB.mcpUrl("/internal"), session, call).status()).isEqualTo(404);
		// Replica A learns it from the target, which ended its own session with it.
		Mcp.Response onA = Mcp.post(replicaA.mcpUrl("/internal"), session, call);
		assertThat(onA.status()).isEqualTo(404);
		assertThat(onA.json().get("error").get("message").asString()).contains("initialize");
	}

	@Test
	void aSessionIdFromAnotherKeyRingIsUnknown() {
		try (AtriumInstance stranger = AtriumInstance
			.start(Map.of("atrium.targets.java.url", java.mcpUrl(), "atrium.scenarios.internal.path", "/internal",
					"atrium.scenarios.internal.targets", "java", "atrium.session.keys[0].id", "other",
					"atrium.session.keys[0].secret", "another-secret-that-nobody-else-shares-0123"))) {
			String session = Mcp.initialize(stranger.mcpUrl("/internal")).sessionId();
			assertThat(Mcp
				.post(replicaA.mcpUrl("/internal"), session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")
				.status()).isEqualTo(404);
		}
	}

}
