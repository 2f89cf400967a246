package dev.atrium.gateway.federation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.RevisionTarget;
import dev.atrium.mcp.catalog.TargetCatalogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code subscriptions/listen} of 2026-07-28 clients, fed by a target of 2025-11-25
 * (through the session Atrium keeps for the caller: {@code resources/subscribe} there,
 * then its standalone stream) and by a 2026-07-28 target (its own
 * {@code subscriptions/listen}); and the standalone streams of clients with a session
 * sharing one catalog refresh per change.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class SubscriptionsListenRouteTests {

	static final RevisionTarget legacy = RevisionTarget.start("2025-11-25");

	static final RevisionTarget modern = RevisionTarget.start(RevisionTarget.MODERN);

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS = new ParameterizedTypeReference<>() {
	};

	static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
			+ "\"io.modelcontextprotocol/clientCapabilities\":{},"
			+ "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"listen\",\"version\":\"1\"}}";

	@LocalServerPort
	int port;

	@Autowired
	AtriumFederation federation;

	WebTestClient client;

	final Disposable.Composite streams = Disposables.composite();

	/** The sessions of clients with one, ended after each test. */
	final List<String> sessions = new CopyOnWriteArrayList<>();

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.legacy.url", legacy::url);
		registry.add("atrium.targets.modern.url", modern::url);
		registry.add("atrium.scenarios.internal.targets", () -> "legacy,modern");
	}

	@AfterAll
	static void stop() {
		legacy.close();
		modern.close();
	}

	@BeforeEach
	void catalogs() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (String target : List.of("legacy", "modern")) {
			for (int attempt = 0; attempt < 5 && !catalogs.health(target).up(); attempt++) {
				catalogs.refresh(target).block();
			}
		}
		this.client = McpRequests.client(this.port);
	}

	@AfterEach
	void closeStreams() {
		this.streams.dispose();
		// A standalone stream waits for its client to resume it until the session ends.
		this.sessions.forEach((session) -> McpRequests.client(this.port)
			.delete()
			.uri("/internal/mcp")
			.header("Mcp-Session-Id", session)
			.exchange()
			.expectStatus()
			.isNoContent());
		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 0 && modern.openStreams() == 0);
		legacy.reset();
		modern.reset();
	}

	@Test
	void aSessionlessClientHearsWhatItOptedInToFromTargetsOfBothEras() {
		List<String> uris = statusUris();
		List<JsonNode> received = listen(7,
				"{\"toolsListChanged\":true,\"resourceSubscriptions\":" + JSON.writeValueAsString(uris) + "}");

		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 1 && modern.openStreams() == 1);
		assertThat(legacy.seen()).anyMatch((seen) -> seen.method().equals("resources/subscribe")
				&& seen.message().path("params").path("uri").asString("").equals(RevisionTarget.STATUS_URI));
		assertThat(modern.seen().stream().filter((seen) -> seen.method().equals("subscriptions/listen")))
			.singleElement()
			.satisfies((seen) -> assertThat(
					seen.message().path("params").path("notifications").path("toolsListChanged").asBoolean())
				.isTrue());
		legacy.log();
		legacy.changeTools();
		legacy.updateStatus();
		modern.updateStatus();

		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 4);
		JsonNode acknowledged = received.get(0);
		assertThat(acknowledged.path("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
		assertThat(acknowledged.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
			.isEqualTo(7);
		assertThat(acknowledged.path("params").path("notifications").path("toolsListChanged").asBoolean()).isTrue();
		assertThat(acknowledged.path("params").path("notifications").has("promptsListChanged")).isFalse();
		assertThat(acknowledged.path("params").path("notifications").path("resourceSubscriptions"))
			.extracting(JsonNode::asString)
			.containsExactlyInAnyOrderElementsOf(uris);
		List<JsonNode> notifications = received.subList(1, received.size());
		assertThat(notifications).allSatisfy((notification) -> assertThat(
				notification.path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asInt())
			.isEqualTo(7));
		assertThat(notifications).extracting((notification) -> notification.path("method").asString())
			.containsExactlyInAnyOrder("notifications/tools/list_changed", "notifications/resources/updated",
					"notifications/resources/updated");
		assertThat(notifications.stream()
			.filter((notification) -> notification.path("method").asString().equals("notifications/resources/updated"))
			.map((notification) -> notification.path("params").path("uri").asString()))
			.containsExactlyInAnyOrderElementsOf(uris);
	}

	@Test
	void whatTheClientDidNotOptInToIsNotSent() {
		String legacyUri = statusUris().stream().filter((uri) -> uri.contains("legacy")).findFirst().orElseThrow();
		List<JsonNode> received = listen("\"quiet\"", "{\"resourceSubscriptions\":[\"" + legacyUri + "\"]}");
		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 1);

		// On one stream, in this order: the update comes after the rest.
		legacy.changeTools();
		legacy.log();
		legacy.updateStatus();

		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 2);
		assertThat(received).extracting((message) -> message.path("method").asString())
			.containsExactly("notifications/subscriptions/acknowledged", "notifications/resources/updated");
		assertThat(received.get(0).path("params").path("notifications").has("toolsListChanged")).isFalse();
		assertThat(
				received.get(1).path("params").path("_meta").path("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("quiet");
	}

	@Test
	void aSessionATargetForgotIsRenewedAndJoinsTheOpenSubscription() {
		List<JsonNode> received = listen(8, "{\"toolsListChanged\":true}");
		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 1);
		int opened = legacy.sessionsOpened();

		legacy.forgetSessions();
		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 0);
		// The call finds the session forgotten, and renews it.
		sessionless("tools/call", "legacy___whoami", "{\"name\":\"legacy___whoami\",\"arguments\":{}}").expectStatus()
			.isOk();
		assertThat(legacy.sessionsOpened()).isEqualTo(opened + 1);

		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 1);
		legacy.changeTools();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> received.stream()
				.anyMatch((message) -> message.path("method").asString().equals("notifications/tools/list_changed")));
	}

	@Test
	void aListenWithoutAFilterIsInvalidParams() {
		JsonNode error = sessionless("subscriptions/listen", null, "{}").expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(error.path("error").path("code").asInt()).isEqualTo(-32602);
	}

	@Test
	void oneChangeAnnouncedToManyClientStreamsRefreshesTheCatalogOnce() {
		List<List<JsonNode>> received = List.of(standaloneStream(), standaloneStream());
		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 2);
		legacy.reset();

		legacy.changeTools();

		await().atMost(Duration.ofSeconds(10))
			.until(() -> received.stream()
				.allMatch(
						(messages) -> messages.stream()
							.anyMatch((message) -> message.path("method")
								.asString()
								.equals("notifications/tools/list_changed"))));
		assertThat(legacy.seen()).filteredOn((seen) -> seen.method().equals("tools/list")).hasSize(1);
	}

	@Test
	void aStandaloneStreamJoinsASessionOpenedOnFirstUseAndHearsA2026Target() {
		legacy.refuseNextInitialize();
		String session = McpRequests.initialize(this.client, "/internal/mcp", null);
		this.sessions.add(session);
		List<JsonNode> received = standaloneStream(session);
		// The 2026-07-28 target is listened to with its own subscriptions/listen.
		await().atMost(Duration.ofSeconds(10)).until(() -> modern.openStreams() == 1);
		assertThat(legacy.openStreams()).isZero();

		// The first call opens the session with the target that was down at initialize.
		McpRequests.post(this.client, "/internal/mcp", null, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"legacy___whoami","arguments":{}}}""")
			.exchange()
			.expectStatus()
			.isOk();

		await().atMost(Duration.ofSeconds(10)).until(() -> legacy.openStreams() == 1);
		legacy.changeTools();
		modern.changeTools();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(received).extracting((message) -> message.path("method").asString())
				.containsExactly("notifications/tools/list_changed", "notifications/tools/list_changed"));
		// The id of Atrium's own subscription with the 2026-07-28 target is not passed
		// on.
		assertThat(received).allSatisfy((message) -> assertThat(
				message.path("params").path("_meta").has("io.modelcontextprotocol/subscriptionId"))
			.isFalse());
	}

	private List<String> statusUris() {
		JsonNode listed = sessionless("resources/list", null, "{}").expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		List<String> uris = new java.util.ArrayList<>();
		listed.path("result").path("resources").forEach((resource) -> uris.add(resource.path("uri").asString()));
		assertThat(uris).hasSize(2);
		return uris;
	}

	/** Opens a sessionless subscription and collects what comes on it. */
	private List<JsonNode> listen(Object id, String notifications) {
		List<JsonNode> received = new CopyOnWriteArrayList<>();
		WebTestClient.ResponseSpec answer = McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", "subscriptions/listen")
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"subscriptions/listen\",\"params\":{"
					+ "\"notifications\":" + notifications + "," + META + "}}")
			.exchange()
			.expectStatus()
			.isOk();
		answer.expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM);
		collect(answer, received);
		return received;
	}

	/** A client with a session, and what comes on its standalone stream. */
	private List<JsonNode> standaloneStream() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", null);
		this.sessions.add(session);
		return standaloneStream(session);
	}

	private List<JsonNode> standaloneStream(String session) {
		List<JsonNode> received = new CopyOnWriteArrayList<>();
		WebTestClient.ResponseSpec answer = this.client.get()
			.uri("/internal/mcp")
			.header("Mcp-Session-Id", session)
			.header("MCP-Protocol-Version", "2025-11-25")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk();
		collect(answer, received);
		return received;
	}

	private void collect(WebTestClient.ResponseSpec answer, List<JsonNode> received) {
		this.streams.add(answer.returnResult(EVENTS)
			.getResponseBody()
			.filter((event) -> event.data() != null && !event.data().isBlank())
			.subscribe((event) -> received.add(JSON.readTree(event.data()))));
	}

	private WebTestClient.ResponseSpec sessionless(String method, String name, String params) {
		String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":"
				+ params.replaceFirst("\\{", "{" + META + (params.equals("{}") ? "" : ",")) + "}";
		WebTestClient.RequestHeadersSpec<?> request = McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", method)
			.headers((headers) -> {
				if (name != null) {
					headers.set("Mcp-Name", name);
				}
			})
			.bodyValue(body);
		return request.exchange();
	}

}
