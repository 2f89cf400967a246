package dev.atrium.e2e.sessions;

import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target that forgets its session (restart, idle timeout) makes the client's session
 * with Atrium end with 404, so the client initialises again, as the transport specifies.
 */
class UpstreamSessionExpiryTests {

	private static final String CALL = """
			{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"java___reverse","arguments":{"text":"ab"}}}""";

	static JavaSdkUpstream java;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		java = JavaSdkUpstream.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets.java.url", java.mcpUrl(), "atrium.scenarios.internal.path",
				"/internal", "atrium.scenarios.internal.targets", "java"));
	}

	@AfterAll
	static void stop() {
		atrium.close();
		java.close();
	}

	@Test
	void anExpiredUpstreamSessionIsNotFoundAndANewSessionWorks() {
		String url = atrium.mcpUrl("/internal");
		String session = Mcp.initialize(url).sessionId();
		java.clearRecordings();
		assertThat(Mcp.post(url, session, CALL).json().get("result").get("content").get(0).get("text").asString())
			.isEqualTo("ba");
		String upstreamSession = java.requests("tools/call").get(0).sessionId();
		assertThat(java.expireSession(upstreamSession)).isTrue();
		Mcp.Response expired = Mcp.post(url, session, CALL);
		assertThat(expired.status()).isEqualTo(404);
		assertThat(expired.json().get("error").get("message").asString()).contains("initialize");
		String renewed = Mcp.initialize(url).sessionId();
		assertThat(renewed).isNotEqualTo(session);
		assertThat(Mcp.post(url, renewed, CALL).status()).isEqualTo(200);
	}

}
