package dev.atrium.e2e.streams;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.ServerEverything;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 2026-07-28 client, which has no session and no standalone stream, hears of changes
 * through {@code subscriptions/listen}: the official reference server
 * ({@code server-everything}, 2025-11-25) sends updates of a resource the client
 * subscribed to in the listen request (Atrium subscribes in the session it keeps for the
 * caller and listens to that session's standalone stream), and a MCP Java SDK server to
 * which a tool is added announces its tools changed.
 */
class SubscriptionsListenEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String DOCUMENT = "demo://resource/static/document/architecture.md";

	private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
			+ "\"io.modelcontextprotocol/clientCapabilities\":{},"
			+ "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"listen\",\"version\":\"1\"}}";

	static ServerEverything everything;

	static JavaSdkUpstream sdk;

	static AtriumInstance atrium;

	final List<JsonNode> received = new CopyOnWriteArrayList<>();

	SseEvents stream;

	Thread reader;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		sdk = JavaSdkUpstream.start();
		atrium = AtriumInstance
			.start(Map.of("atrium.targets.everything.url", everything.mcpUrl(), "atrium.targets.sdk.url", sdk.mcpUrl(),
					"atrium.scenarios.everything.path", "/everything", "atrium.scenarios.everything.targets",
					"everything", "atrium.scenarios.sdk.path", "/sdk", "atrium.scenarios.sdk.targets", "sdk",
					"atrium.scenarios.everything.anonymous", "true", "atrium.scenarios.sdk.anonymous", "true"));
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (sdk != null) {
			sdk.close();
		}
		if (everything != null) {
			everything.close();
		}
	}

	@AfterEach
	void close() throws InterruptedException {
		if (this.stream != null) {
			// The client closes the stream: that ends the subscription.
			this.stream.close();
			this.reader.join(Duration.ofSeconds(10));
		}
	}

	@Test
	void updatesOfAResourceTheClientSubscribedToReachItTaggedWithItsSubscription() {
		String url = atrium.mcpUrl("/everything");
		listen(url, 11, "{\"resourceSubscriptions\":[\"" + DOCUMENT + "\"]}");
		await().atMost(Duration.ofSeconds(20)).until(() -> !this.received.isEmpty());
		JsonNode acknowledged = this.received.get(0);
		assertThat(acknowledged.path("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
		assertThat(acknowledged.path("params").path("notifications").path("resourceSubscriptions").get(0).asString())
			.isEqualTo(DOCUMENT);

		// In the session Atrium keeps for this caller, where the subscription is.
		Mcp.Response toggled = sessionless(url, "tools/call", "everything___toggle-subscriber-updates",
				"\"name\":\"everything___toggle-subscriber-updates\",\"arguments\":{}");
		assertThat(toggled.status()).isEqualTo(200);
		assertThat(toggled.json().has("result")).isTrue();

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.received)
				.filteredOn((message) -> "notifications/resources/updated".equals(message.path("method").asString()))
				.isNotEmpty()
				.allSatisfy((message) -> {
					assertThat(message.path("params").path("uri").asString()).isEqualTo(DOCUMENT);
					assertThat(
							message.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
						.isEqualTo(11);
				}));
	}

	@Test
	void aToolAddedToATargetIsAnnouncedToTheSubscriptionAndListedAfter() {
		String url = atrium.mcpUrl("/sdk");
		listen(url, 12, "{\"toolsListChanged\":true}");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> sdk.requests().stream().anyMatch((request) -> request.method().equals("GET")));
		assertThat(toolNames(url)).doesNotContain("sdk___fresh");

		sdk.addTool("fresh");

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.received)
				.filteredOn((message) -> "notifications/tools/list_changed".equals(message.path("method").asString()))
				.singleElement()
				.satisfies((message) -> assertThat(
						message.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
					.isEqualTo(12)));
		assertThat(toolNames(url)).contains("sdk___fresh");
	}

	/** Opens a subscription and reads it on a thread of its own until closed. */
	private void listen(String url, int id, String notifications) {
		String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"subscriptions/listen\",\"params\":{"
				+ "\"notifications\":" + notifications + "," + META + "}}";
		this.stream = SseEvents.open(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", "subscriptions/listen")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(this.stream.status()).isEqualTo(200);
		assertThat(this.stream.contentType()).startsWith("text/event-stream");
		this.reader = Thread.ofVirtual().start(() -> {
			try {
				SseEvents.Event event;
				while ((event = this.stream.next()) != null) {
					if (!event.priming()) {
						this.received.add(JSON.readTree(event.data()));
					}
				}
			}
			catch (RuntimeException ex) {
				// The test closed the stream.
			}
		});
	}

	private static Mcp.Response sessionless(String url, String method, String name, String params) {
		Map<String, String> headers = (name != null)
				? Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method, "Mcp-Name", name)
				: Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", method);
		return Mcp.post(url, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":{" + params
				+ (params.isEmpty() ? "" : ",") + META + "}}", headers);
	}

	private static List<String> toolNames(String url) {
		JsonNode tools = sessionless(url, "tools/list", null, "").json().path("result").path("tools");
		List<String> names = new ArrayList<>();
		tools.forEach((tool) -> names.add(tool.path("name").asString()));
		return names;
	}

}
