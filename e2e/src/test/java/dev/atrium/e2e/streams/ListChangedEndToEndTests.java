package dev.atrium.e2e.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A target whose tools change says so on its standalone stream; Atrium refreshes that
 * target's catalog and then tells its client, as a change of the virtual server's own
 * tools: a client that lists again finds the new tool. The target is an MCP Java SDK
 * server to which a tool is added while it runs.
 */
class ListChangedEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static JavaSdkUpstream upstream;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		upstream = JavaSdkUpstream.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets.sdk.url", upstream.mcpUrl(),
				"atrium.scenarios.internal.path", "/internal", "atrium.scenarios.internal.targets", "sdk"));
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (upstream != null) {
			upstream.close();
		}
	}

	@Test
	void aToolAddedToATargetIsAnnouncedAndListedAfterTheCatalogWasRefreshed() throws InterruptedException {
		String url = atrium.mcpUrl("/internal");
		Mcp.Response initialized = Mcp.initialize(url);
		String session = initialized.sessionId();
		assertThat(initialized.json().path("result").path("capabilities").path("tools").path("listChanged").asBoolean())
			.isTrue();
		Mcp.post(url, session, """
				{"jsonrpc":"2.0","method":"notifications/initialized"}""");
		List<JsonNode> received = new CopyOnWriteArrayList<>();
		SseEvents stream = SseEvents
			.open(SseEvents.request(url, session, Map.of("Accept", "text/event-stream")).GET().build());
		Thread reader = Thread.ofVirtual().start(() -> {
			try {
				SseEvents.Event event;
				while ((event = stream.next()) != null) {
					if (!event.priming()) {
						received.add(JSON.readTree(event.data()));
					}
				}
			}
			catch (RuntimeException ex) {
				// The stream was closed.
			}
		});
		try {
			// Atrium has opened the target's own standalone stream.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> upstream.requests().stream().anyMatch((request) -> request.method().equals("GET")));
			assertThat(toolNames(url, session)).doesNotContain("sdk___fresh");
			upstream.addTool("fresh");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(received).extracting((message) -> message.path("method").asString())
					.contains("notifications/tools/list_changed"));
			assertThat(toolNames(url, session)).contains("sdk___fresh");
		}
		finally {
			Mcp.delete(url, session);
			reader.join(Duration.ofSeconds(10));
			stream.close();
		}
	}

	private static List<String> toolNames(String url, String session) {
		JsonNode tools = Mcp.post(url, session, """
				{"jsonrpc":"2.0","id":9,"method":"tools/list"}""").json().path("result").path("tools");
		List<String> names = new ArrayList<>();
		tools.forEach((tool) -> names.add(tool.path("name").asString()));
		return names;
	}

}
