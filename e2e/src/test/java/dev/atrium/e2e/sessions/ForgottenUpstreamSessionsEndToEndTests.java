package dev.atrium.e2e.sessions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.SigV4CheckingProxy;
import dev.atrium.e2e.support.StsTokens;
import dev.atrium.testsupport.LocalRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas that record ended sessions in one Redis, in front of an AgentCore runtime
 * (an MCP Java SDK server behind an endpoint that checks every SigV4 signature): when the
 * runtime forgets a session, the replica that finds out opens a new one, in the same
 * runtime session (microVM), and the client's call goes through; a session the client
 * ended on the other replica stays ended, though the runtime answers it the same 404.
 */
class ForgottenUpstreamSessionsEndToEndTests {

	static final String RUNTIME_ARN = "arn:aws:bedrock-agentcore:eu-central-1:123456789012:runtime/crm-AbC12dEf3G";

	static final String SECRET_ACCESS_KEY = "forgotten-sessions-e2e-secret-access-key";

	static final String CLIENT_SECRET = "forgotten-sessions-e2e-client-secret-0123";

	static final String CALL = """
			{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"crm___reverse","arguments":{"text":"abc"}}}""";

	static final String RUNTIME_SESSION = "x-amzn-bedrock-agentcore-runtime-session-id";

	static LocalRedis redis;

	static JavaSdkUpstream server;

	static SigV4CheckingProxy runtime;

	static AtriumInstance replicaA;

	static AtriumInstance replicaB;

	static Map<String, String> auth;

	@BeforeAll
	static void start() {
		redis = LocalRedis.start();
		server = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("crm"));
		runtime = SigV4CheckingProxy.agentCoreRuntime(server.mcpUrl(), RUNTIME_ARN, "DEFAULT", SECRET_ACCESS_KEY);
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.session.terminations.redis-uri", redis.uri());
		properties.put("atrium.targets.crm.agentcore.runtime-arn", RUNTIME_ARN);
		properties.put("atrium.targets.crm.agentcore.endpoint", runtime.url());
		properties.put("atrium.targets.crm.credentials.type", "sigv4");
		properties.put("atrium.targets.crm.credentials.access-key-id.value", "AKIDFORGOTTEN");
		properties.put("atrium.targets.crm.credentials.secret-access-key.value", SECRET_ACCESS_KEY);
		properties.put("atrium.scenarios.internal.targets", "crm");
		properties.put("atrium.scenarios.internal.issuers", "atrium-sts");
		properties.put("atrium.scenarios.internal.anonymous", "false");
		// Tokens of one replica's STS verify on the other.
		properties.put("atrium.sts.key-secret", "forgotten-sessions-e2e-sts-key-secret-0123456789");
		properties.put("atrium.sts.clients.crm-agent.secret", CLIENT_SECRET);
		properties.put("atrium.sts.clients.crm-agent.grant-types", "client-credentials");
		properties.put("atrium.sts.clients.crm-agent.scopes", "mcp:read,mcp:write");
		replicaA = AtriumInstance.start(properties);
		replicaB = AtriumInstance.start(properties);
		auth = Map.of("Authorization", "Bearer " + StsTokens.clientCredentials(replicaA, "crm-agent", CLIENT_SECRET));
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { replicaA, replicaB, runtime, server, redis }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	void aSessionTheRuntimeForgotIsOpenedAgainInTheSameMicroVmAndTheCallGoesThrough() {
		String session = Mcp.initialize(replicaA.mcpUrl("/internal"), auth).sessionId();
		assertThat(reversed(Mcp.post(replicaA.mcpUrl("/internal"), session, CALL, auth))).isEqualTo("cba");
		String forgotten = server.requests("tools/call").getLast().sessionId();
		int initializes = server.requests("initialize").size();
		String microVm = runtime.received("tools/call").getLast().header(RUNTIME_SESSION);

		assertThat(server.expireSession(forgotten)).isTrue();

		Mcp.Response call = Mcp.post(replicaB.mcpUrl("/internal"), session, CALL, auth);
		assertThat(call.status()).isEqualTo(200);
		assertThat(reversed(call)).isEqualTo("cba");
		assertThat(server.requests("initialize")).hasSize(initializes + 1);
		String renewed = server.requests("tools/call").getLast().sessionId();
		assertThat(renewed).isNotEqualTo(forgotten);
		List<SigV4CheckingProxy.Received> reopened = runtime.received("initialize");
		assertThat(reopened.getLast().header(RUNTIME_SESSION)).as("the user keeps its microVM").isEqualTo(microVm);
		// The replica keeps the new session: the next call opens nothing.
		assertThat(reversed(Mcp.post(replicaB.mcpUrl("/internal"), session, CALL, auth))).isEqualTo("cba");
		assertThat(server.requests("initialize")).hasSize(initializes + 1);
		assertThat(server.requests("tools/call").getLast().sessionId()).isEqualTo(renewed);
	}

	@Test
	void aSessionTheClientEndedOnOneReplicaIsNotOpenedAgainByTheOther() {
		String session = Mcp.initialize(replicaA.mcpUrl("/internal"), auth).sessionId();
		assertThat(reversed(Mcp.post(replicaB.mcpUrl("/internal"), session, CALL, auth))).isEqualTo("cba");
		int initializes = server.requests("initialize").size();

		assertThat(Mcp.delete(replicaA.mcpUrl("/internal"), session, auth).status()).isEqualTo(204);

		Mcp.Response onB = Mcp.post(replicaB.mcpUrl("/internal"), session, CALL, auth);
		assertThat(onB.status()).isEqualTo(404);
		assertThat(onB.json().get("error").get("message").asString()).contains("initialize");
		assertThat(server.requests("initialize")).hasSize(initializes);
	}

	private static String reversed(Mcp.Response response) {
		return response.json().get("result").get("content").get(0).get("text").asString();
	}

}
