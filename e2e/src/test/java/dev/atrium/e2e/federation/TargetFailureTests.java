package dev.atrium.e2e.federation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.ServerEverything;
import dev.atrium.e2e.support.TsSdkClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.atrium.e2e.support.TsSdkClient.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target that is down, or goes down, is reported with a clear reason and does not break
 * the others.
 */
class TargetFailureTests {

	/** Port 9 (discard) is closed on loopback here: connections are refused at once. */
	private static final String DOWN_URL = "http://127.0.0.1:9/mcp";

	ServerEverything everything;

	JavaSdkUpstream java;

	AtriumInstance atrium;

	@BeforeEach
	void start() {
		this.everything = ServerEverything.start();
		this.java = JavaSdkUpstream.start();
		this.atrium = AtriumInstance.start(Map.of("atrium.targets.everything.url", this.everything.mcpUrl(),
				"atrium.targets.java.url", this.java.mcpUrl(), "atrium.targets.ghost.url", DOWN_URL,
				"atrium.scenarios.internal.path", "/internal", "atrium.scenarios.internal.targets",
				"everything,java,ghost", "atrium.scenarios.strict.path", "/strict", "atrium.scenarios.strict.targets",
				"java,ghost", "atrium.scenarios.strict.on-target-failure", "closed",
				"atrium.scenarios.strict.anonymous", "true"));
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { this.atrium, this.java, this.everything }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	@Test
	void aTargetThatIsDownLeavesTheOthersServedAndShowsInHealth() throws Exception {
		JsonNode run = TsSdkClient.connected(TsSdkClient.run(this.atrium.mcpUrl("/internal"), List.of(step("listTools"),
				step("callTool", "name", "java___reverse", "arguments", Map.of("text", "ok")))));
		assertThat(run.get("steps").get(0).get("result").get("items").toString()).contains("java___reverse",
				"everything___echo");
		assertThat(run.get("steps").get(1).get("result").get("content").get(0).get("text").asString()).isEqualTo("ko");
		JsonNode health = JsonMapper.builder()
			.build()
			.readTree(HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(this.atrium.baseUrl() + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body());
		JsonNode targets = health.get("components").get("targets").get("details");
		assertThat(targets.get("ghost").get("status").asString()).isEqualTo("DOWN");
		assertThat(targets.get("ghost").get("reason").asString()).contains("ghost").contains("cannot be reached");
		assertThat(targets.get("java").get("status").asString()).isEqualTo("UP");
	}

	@Test
	void aFailClosedScenarioRefusesItsListsWhileATargetIsDown() {
		JsonNode run = TsSdkClient
			.connected(TsSdkClient.run(this.atrium.mcpUrl("/strict"), List.of(step("listTools"))));
		JsonNode error = run.get("steps").get(0).get("error");
		assertThat(error.get("code").asInt()).isEqualTo(-32010);
		assertThat(error.get("message").asString()).contains("ghost");
	}

	@Test
	void aTargetThatGoesDownMidSessionGivesAnErrorNamingItAndTheOthersKeepWorking() {
		String url = this.atrium.mcpUrl("/internal");
		JsonNode before = TsSdkClient.connected(TsSdkClient.run(url, List.of(step("listTools"))));
		assertThat(before.get("steps").get(0).get("result").get("items").toString()).contains("java___reverse");
		this.java.kill();
		JsonNode after = TsSdkClient.connected(TsSdkClient.run(url,
				List.of(step("callTool", "name", "java___reverse", "arguments", Map.of("text", "x")),
						step("callTool", "name", "everything___echo", "arguments", Map.of("message", "still here")))));
		JsonNode failed = after.get("steps").get(0).get("error");
		assertThat(failed.get("code").asInt()).isEqualTo(-32010);
		assertThat(failed.get("message").asString()).contains("Target 'java'");
		assertThat(after.get("steps").get(1).get("result").get("content").get(0).get("text").asString())
			.contains("still here");
	}

}
