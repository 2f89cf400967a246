package dev.atrium.e2e.streams;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.ServerEverything;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a target sends outside any call reaches the client on the virtual server's
 * standalone stream ({@code GET}): the official reference server
 * ({@code server-everything}) behind Atrium sends resource updates for a subscription and
 * log messages on its own standalone stream, every five seconds once toggled on.
 */
class StandaloneStreamEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String DOCUMENT = "demo://resource/static/document/architecture.md";

	static ServerEverything everything;

	static AtriumInstance atrium;

	final List<JsonNode> received = new CopyOnWriteArrayList<>();

	String url;

	String session;

	SseEvents stream;

	Thread reader;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.scenarios.internal.path", "/internal", "atrium.scenarios.internal.targets", "everything"));
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (everything != null) {
			everything.close();
		}
	}

	@BeforeEach
	void initialize() {
		this.url = atrium.mcpUrl("/internal");
		Mcp.Response initialized = Mcp.initialize(this.url);
		assertThat(initialized.status()).isEqualTo(200);
		this.session = initialized.sessionId();
		JsonNode capabilities = initialized.json().path("result").path("capabilities");
		assertThat(capabilities.path("resources").path("subscribe").asBoolean()).isTrue();
		assertThat(capabilities.path("tools").path("listChanged").asBoolean()).isTrue();
		assertThat(Mcp.post(this.url, this.session, """
				{"jsonrpc":"2.0","method":"notifications/initialized"}""").status()).isEqualTo(202);
	}

	@AfterEach
	void close() throws InterruptedException {
		// Ending the session ends its standalone stream, and so the reader.
		Mcp.delete(this.url, this.session);
		if (this.stream != null) {
			this.reader.join(Duration.ofSeconds(10));
			this.stream.close();
		}
	}

	@Test
	void aResourceUpdateOutsideACallReachesTheClientWithTheUriItSubscribedTo() {
		listen();
		assertThat(Mcp
			.post(this.url, this.session,
					"""
							{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"%s"}}"""
						.formatted(DOCUMENT))
			.json()
			.has("result")).isTrue();
		assertThat(Mcp.post(this.url, this.session, """
				{"jsonrpc":"2.0","id":2,"method":"tools/call",
				 "params":{"name":"everything___toggle-subscriber-updates","arguments":{}}}""").json().has("result"))
			.isTrue();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.received)
				.anySatisfy((message) -> assertThat(message.path("method").asString())
					.isEqualTo("notifications/resources/updated"))
				.filteredOn((message) -> "notifications/resources/updated".equals(message.path("method").asString()))
				.allSatisfy(
						(message) -> assertThat(message.path("params").path("uri").asString()).isEqualTo(DOCUMENT)));
	}

	@Test
	void logMessagesBetweenCallsReachTheClient() {
		listen();
		assertThat(Mcp.post(this.url, this.session, """
				{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug"}}""").status())
			.isEqualTo(200);
		assertThat(Mcp.post(this.url, this.session, """
				{"jsonrpc":"2.0","id":2,"method":"tools/call",
				 "params":{"name":"everything___toggle-simulated-logging","arguments":{}}}""").json().has("result"))
			.isTrue();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.received).anySatisfy(
					(message) -> assertThat(message.path("method").asString()).isEqualTo("notifications/message")));
	}

	@Test
	void theStandaloneStreamStartsWithAPrimingEvent() {
		try (SseEvents events = SseEvents
			.open(SseEvents.request(this.url, this.session, Map.of("Accept", "text/event-stream")).GET().build())) {
			assertThat(events.status()).isEqualTo(200);
			assertThat(events.contentType()).startsWith("text/event-stream");
			SseEvents.Event priming = events.next();
			assertThat(priming.priming()).isTrue();
			assertThat(priming.id()).matches("[A-Za-z0-9_-]{22}\\.0");
			assertThat(priming.retry()).isEqualTo("1000");
		}
	}

	@Test
	void aGetThatDoesNotAcceptAnEventStreamIsNotAcceptable() {
		try (SseEvents refused = SseEvents
			.open(SseEvents.request(this.url, this.session, Map.of("Accept", "application/json")).GET().build())) {
			assertThat(refused.status()).isEqualTo(406);
		}
	}

	/** Opens the standalone stream and reads it on a thread of its own until closed. */
	private void listen() {
		this.stream = SseEvents
			.open(SseEvents.request(this.url, this.session, Map.of("Accept", "text/event-stream")).GET().build());
		assertThat(this.stream.status()).isEqualTo(200);
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

}
