package dev.atrium.e2e.streams;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.ServerEverything;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client whose stream breaks in the middle of a call resumes it with {@code GET} and
 * {@code Last-Event-ID} and gets every event once: the official reference server
 * ({@code server-everything}) runs a long operation that reports progress, behind
 * Atrium's virtual server, and the client's connection is cut after the first events.
 */
class StreamResumptionEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int STEPS = 8;

	static ServerEverything everything;

	static AtriumInstance atrium;

	/** Another replica of the same deployment: same session keys, same target. */
	static AtriumInstance replica;

	String url;

	String session;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		Map<String, String> properties = Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.scenarios.internal.path", "/internal", "atrium.scenarios.internal.targets", "everything");
		atrium = AtriumInstance.start(properties);
		replica = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		if (replica != null) {
			replica.close();
		}
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
		assertThat(Mcp.post(this.url, this.session, """
				{"jsonrpc":"2.0","method":"notifications/initialized"}""").status()).isEqualTo(202);
	}

	@Test
	void aStreamBrokenMidCallIsResumedWithoutLosingOrRepeatingAnEvent() {
		List<SseEvents.Event> beforeTheBreak = new ArrayList<>();
		String lastEventId;
		try (SseEvents stream = SseEvents.open(SseEvents
			.request(this.url, this.session,
					Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"))
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"jsonrpc":"2.0","id":"long-1","method":"tools/call",
					 "params":{"name":"everything___trigger-long-running-operation",
					           "arguments":{"duration":4,"steps":%d},"_meta":{"progressToken":"resumed"}}}"""
				.formatted(STEPS)))
			.build())) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.contentType()).startsWith("text/event-stream");
			// The priming event and the first two progress notifications; then the
			// connection breaks.
			for (int i = 0; i < 3; i++) {
				beforeTheBreak.add(stream.next());
			}
			lastEventId = beforeTheBreak.get(2).id();
		}
		SseEvents.Event priming = beforeTheBreak.get(0);
		assertThat(priming.priming()).isTrue();
		assertThat(priming.id()).isNotBlank();
		assertThat(priming.retry()).isEqualTo("1000");
		// The target goes on while the client is away: its next steps are for the
		// resumed stream to send.
		await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);

		List<SseEvents.Event> afterTheBreak = new ArrayList<>();
		try (SseEvents resumed = SseEvents.open(SseEvents
			.request(this.url, this.session, Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId))
			.GET()
			.build())) {
			assertThat(resumed.status()).isEqualTo(200);
			SseEvents.Event event;
			while ((event = resumed.next()) != null) {
				afterTheBreak.add(event);
			}
		}
		assertThat(afterTheBreak.get(0).priming()).isTrue();
		assertThat(afterTheBreak.get(0).id()).isEqualTo(lastEventId);

		List<SseEvents.Event> all = new ArrayList<>(beforeTheBreak);
		all.addAll(afterTheBreak.subList(1, afterTheBreak.size()));
		List<JsonNode> messages = all.stream().filter((event) -> !event.priming()).map(this::message).toList();
		assertThat(messages).filteredOn((message) -> "notifications/progress".equals(message.path("method").asString()))
			.extracting((message) -> message.path("params").path("progress").asInt())
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
		assertThat(messages.get(messages.size() - 1).path("id").asString()).isEqualTo("long-1");
		assertThat(messages.get(messages.size() - 1).path("result").toString())
			.contains("Long running operation completed");
		assertThat(messages).hasSize(STEPS + 1);
		assertThat(all).extracting(SseEvents.Event::id)
			.doesNotHaveDuplicates()
			.allSatisfy((id) -> assertThat(id).startsWith(priming.id().substring(0, priming.id().indexOf('.') + 1)));
	}

	@Test
	void aLastEventIdAtriumDidNotGiveIsABadRequest() {
		try (SseEvents refused = SseEvents.open(SseEvents
			.request(this.url, this.session, Map.of("Accept", "text/event-stream", "Last-Event-ID", "not-an-id"))
			.GET()
			.build())) {
			assertThat(refused.status()).isEqualTo(400);
			JsonNode error = JSON.readTree(refused.rest()).path("error");
			assertThat(error.path("code").asInt()).isEqualTo(-32600);
			assertThat(error.path("message").asString()).contains("Last-Event-ID");
		}
	}

	@Test
	void aStreamThatIsNotKeptCannotBeResumed() {
		try (SseEvents refused = SseEvents.open(SseEvents
			.request(this.url, this.session,
					Map.of("Accept", "text/event-stream", "Last-Event-ID", "AAAAAAAAAAAAAAAAAAAAAA.3"))
			.GET()
			.build())) {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(JSON.readTree(refused.rest()).path("error").path("message").asString())
				.contains("no stream to resume");
		}
	}

	@Test
	void aStreamIsResumedOnlyOnTheReplicaThatKeepsIt() {
		String lastEventId;
		try (SseEvents stream = SseEvents.open(SseEvents
			.request(this.url, this.session,
					Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"))
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"jsonrpc":"2.0","id":"long-2","method":"tools/call",
					 "params":{"name":"everything___trigger-long-running-operation",
					           "arguments":{"duration":2,"steps":2},"_meta":{"progressToken":"elsewhere"}}}"""))
			.build())) {
			lastEventId = stream.next().id();
		}
		try (SseEvents refused = SseEvents.open(
				SseEvents
					.request(replica.mcpUrl("/internal"), this.session,
							Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId))
					.GET()
					.build())) {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(JSON.readTree(refused.rest()).path("error").path("message").asString())
				.contains("another replica");
		}
		// The replica that keeps it resumes it, to the end.
		try (SseEvents resumed = SseEvents.open(SseEvents
			.request(this.url, this.session, Map.of("Accept", "text/event-stream", "Last-Event-ID", lastEventId))
			.GET()
			.build())) {
			assertThat(resumed.status()).isEqualTo(200);
			String last = null;
			SseEvents.Event event;
			while ((event = resumed.next()) != null) {
				last = event.data();
			}
			assertThat(last).contains("\"id\":\"long-2\"").contains("Long running operation completed");
		}
	}

	private JsonNode message(SseEvents.Event event) {
		return JSON.readTree(event.data());
	}

}
