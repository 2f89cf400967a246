package dev.atrium.e2e.federation;

import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.TsSdkClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.atrium.e2e.support.TsSdkClient.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller cannot assert context that only Atrium may assert, nor hand its credentials to
 * a target: the target sees none of them, through the virtual server or the pass-through
 * route.
 */
class HeaderSpoofingTests {

	private static final Map<String, String> SPOOFED = Map.of("Authorization", "Bearer caller-token-must-not-pass",
			"X-Tenant-ID", "someone-elses-tenant", "X-User-Context", "admin", "X-Custom-Trace", "kept");

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
	void theVirtualServerPassesNoClientHeaderToTheTarget() {
		String seen = whoami(atrium.mcpUrl("/internal"), "java___whoami");
		assertThat(seen).doesNotContain("caller-token-must-not-pass", "someone-elses-tenant", "x-user-context",
				"x-custom-trace");
		// Atrium's own ids do arrive.
		assertThat(seen).contains("x-request-id", "x-correlation-id");
	}

	@Test
	void thePassThroughRouteStripsCredentialsAndContextHeaders() {
		String seen = whoami(atrium.baseUrl() + "/internal/targets/java/mcp", "whoami");
		assertThat(seen).doesNotContain("caller-token-must-not-pass", "someone-elses-tenant", "x-user-context")
			.contains("x-custom-trace", "x-request-id", "x-correlation-id");
	}

	private static String whoami(String url, String tool) {
		JsonNode run = TsSdkClient
			.connected(TsSdkClient.run(url, SPOOFED, List.of(step("callTool", "name", tool, "arguments", Map.of()))));
		return run.get("steps").get(0).get("result").get("content").get(0).get("text").asString().toLowerCase();
	}

}
