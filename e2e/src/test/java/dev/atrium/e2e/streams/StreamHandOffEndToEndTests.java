package dev.atrium.e2e.streams;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.ServerEverything;
import dev.atrium.mcp.session.SessionKeyRing;
import dev.atrium.mcp.stream.StreamIds;
import dev.atrium.mcp.transport.ResumptionHandOff;
import dev.atrium.testsupport.LoopbackPorts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resumption that reaches another replica than the one that holds the stream is handed
 * to the holder: two Atrium replicas with {@code atrium.replica.advertised-url}, the
 * official reference server ({@code server-everything}) running a long operation that
 * reports progress, and a client whose connection to replica A breaks and which resumes
 * on replica B, as behind a load balancer without affinity.
 */
class StreamHandOffEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int STEPS = 8;

	static ServerEverything everything;

	static AtriumInstance replicaA;

	static AtriumInstance replicaB;

	String session;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		replicaA = replica();
		replicaB = replica();
	}

	/** A replica on a port of its own, which it advertises to the others. */
	private static AtriumInstance replica() {
		int port = LoopbackPorts.free();
		Map<String, String> properties = new HashMap<>(Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.scenarios.internal.path", "/internal", "atrium.scenarios.internal.targets", "everything"));
		properties.put("server.port", String.valueOf(port));
		properties.put("atrium.replica.advertised-url", "http://127.0.0.1:" + port);
		return AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		if (replicaB != null) {
			replicaB.close();
		}
		if (replicaA != null) {
			replicaA.close();
		}
		if (everything != null) {
			everything.close();
		}
	}

	@BeforeEach
	void initialize() {
		Mcp.Response initialized = Mcp.initialize(replicaA.mcpUrl("/internal"));
		assertThat(initialized.status()).isEqualTo(200);
		this.session = initialized.sessionId();
		assertThat(Mcp.post(replicaA.mcpUrl("/internal"), this.session, """
				{"jsonrpc":"2.0","method":"notifications/initialized"}""").status()).isEqualTo(202);
	}

	@Test
	void aStreamCutOnOneReplicaIsResumedOnAnotherWithEveryMissedEventOnce() {
		double relayedBefore = handOffs(replicaB, ResumptionHandOff.Result.RELAYED);
		List<SseEvents.Event> beforeTheCut = new ArrayList<>();
		try (SseEvents stream = longCall(STEPS, 4)) {
			assertThat(stream.status()).isEqualTo(200);
			// The priming event and the first two progress notifications; then the
			// connection breaks.
			for (int i = 0; i < 3; i++) {
				beforeTheCut.add(stream.next());
			}
		}
		String lastEventId = beforeTheCut.get(2).id();
		// The target goes on while the client is away, so that some of what follows is
		// replayed from replica A's buffer, not only relayed live.
		await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);

		List<SseEvents.Event> afterTheCut = new ArrayList<>();
		try (SseEvents resumed = resume(replicaB, lastEventId, Map.of())) {
			assertThat(resumed.status()).isEqualTo(200);
			assertThat(resumed.contentType()).startsWith("text/event-stream");
			SseEvents.Event event;
			while ((event = resumed.next()) != null) {
				afterTheCut.add(event);
			}
		}
		assertThat(afterTheCut.get(0).priming()).isTrue();
		assertThat(afterTheCut.get(0).id()).isEqualTo(lastEventId);
		List<SseEvents.Event> all = new ArrayList<>(beforeTheCut);
		all.addAll(afterTheCut.subList(1, afterTheCut.size()));
		List<JsonNode> messages = all.stream().filter((event) -> !event.priming()).map(this::message).toList();
		assertThat(messages).filteredOn((message) -> "notifications/progress".equals(message.path("method").asString()))
			.extracting((message) -> message.path("params").path("progress").asInt())
			.containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
		assertThat(messages).hasSize(STEPS + 1);
		assertThat(messages.get(messages.size() - 1).path("id").asString()).isEqualTo("long-call");
		assertThat(messages.get(messages.size() - 1).path("result").toString())
			.contains("Long running operation completed");
		assertThat(all).extracting(SseEvents.Event::id).doesNotHaveDuplicates();
		assertThat(handOffs(replicaB, ResumptionHandOff.Result.RELAYED)).isEqualTo(relayedBefore + 1);
	}

	@Test
	void aForgedHolderIsRefusedWithoutAnyConnection() throws IOException {
		try (ServerSocketChannel listener = listening()) {
			URI address = URI.create("http://127.0.0.1:" + listener.socket().getLocalPort());
			SessionKeyRing someoneElses = SessionKeyRing.derive(List.of(new SessionKeyRing.Secret("e2e",
					"not the deployment's secret, but long enough".getBytes(StandardCharsets.UTF_8))));
			String forged = StreamIds.sealing(address, someoneElses).newStream() + ".1";
			try (SseEvents refused = resume(replicaB, forged, Map.of())) {
				assertThat(refused.status()).isEqualTo(400);
				assertThat(errorMessage(refused)).contains("not an event id of this server");
			}
			// Atrium decided before it answered: had it connected, the connection
			// would wait here to be accepted.
			assertThat(listener.accept()).isNull();
		}
	}

	@Test
	void aTamperedHolderIsRefused() {
		String lastEventId;
		try (SseEvents stream = longCall(2, 2)) {
			lastEventId = stream.next().id();
		}
		int inTheSealedPart = lastEventId.indexOf('.') - 5;
		char flipped = (lastEventId.charAt(inTheSealedPart) == 'A') ? 'B' : 'A';
		String tampered = lastEventId.substring(0, inTheSealedPart) + flipped
				+ lastEventId.substring(inTheSealedPart + 1);
		try (SseEvents refused = resume(replicaB, tampered, Map.of())) {
			assertThat(refused.status()).isEqualTo(400);
			assertThat(errorMessage(refused)).contains("not an event id of this server");
		}
	}

	@Test
	void aHolderThatIsDownGetsTheNotKeptAnswerWithItsReason() throws IOException {
		int closedPort;
		try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = closed.getLocalPort();
		}
		// What a replica that has since stopped handed out: sealed with the deployment's
		// keys, naming its address.
		String ofAStoppedReplica = StreamIds
			.sealing(URI.create("http://127.0.0.1:" + closedPort), replicaB.bean(SessionKeyRing.class))
			.newStream() + ".3";
		double unreachableBefore = handOffs(replicaB, ResumptionHandOff.Result.UNREACHABLE);
		try (SseEvents refused = resume(replicaB, ofAStoppedReplica, Map.of())) {
			assertThat(refused.status()).isEqualTo(400);
			String message = errorMessage(refused);
			assertThat(message).contains("no stream to resume").contains("could not be reached");
			assertThat(message).doesNotContain(String.valueOf(closedPort));
		}
		assertThat(handOffs(replicaB, ResumptionHandOff.Result.UNREACHABLE)).isEqualTo(unreachableBefore + 1);
	}

	@Test
	void aHandedOffRequestIsNotHandedOffAgain() throws IOException {
		try (ServerSocketChannel listener = listening()) {
			// A holder address the test listens on, sealed with the deployment's keys.
			String id = StreamIds
				.sealing(URI.create("http://127.0.0.1:" + listener.socket().getLocalPort()),
						replicaB.bean(SessionKeyRing.class))
				.newStream() + ".1";
			try (SseEvents refused = resume(replicaB, id, Map.of(ResumptionHandOff.HANDED_OFF, "1"))) {
				assertThat(refused.status()).isEqualTo(400);
				assertThat(errorMessage(refused)).contains("no stream to resume").contains("handed off");
			}
			assertThat(listener.accept()).isNull();
		}
		// Unmarked, the same kind of resumption does reach the holder: the stream of a
		// real call on replica A, resumed through replica B.
		String lastEventId;
		try (SseEvents stream = longCall(2, 1)) {
			lastEventId = stream.next().id();
		}
		try (SseEvents resumed = resume(replicaB, lastEventId, Map.of())) {
			assertThat(resumed.status()).isEqualTo(200);
			String last = null;
			SseEvents.Event event;
			while ((event = resumed.next()) != null) {
				last = event.data();
			}
			assertThat(last).contains("\"id\":\"long-call\"").contains("Long running operation completed");
		}
	}

	/** A {@code tools/call} on replica A whose answer streams progress. */
	private SseEvents longCall(int steps, int seconds) {
		return SseEvents.open(SseEvents
			.request(replicaA.mcpUrl("/internal"), this.session,
					Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"))
			.POST(HttpRequest.BodyPublishers.ofString("""
					{"jsonrpc":"2.0","id":"long-call","method":"tools/call",
					 "params":{"name":"everything___trigger-long-running-operation",
					           "arguments":{"duration":%d,"steps":%d},"_meta":{"progressToken":"handed-off"}}}"""
				.formatted(seconds, steps)))
			.build());
	}

	private SseEvents resume(AtriumInstance replica, String lastEventId, Map<String, String> headers) {
		Map<String, String> all = new HashMap<>(headers);
		all.put("Accept", "text/event-stream");
		all.put("Last-Event-ID", lastEventId);
		return SseEvents.open(SseEvents.request(replica.mcpUrl("/internal"), this.session, all).GET().build());
	}

	private static ServerSocketChannel listening() throws IOException {
		ServerSocketChannel listener = ServerSocketChannel.open();
		listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		listener.configureBlocking(false);
		return listener;
	}

	private static double handOffs(AtriumInstance replica, ResumptionHandOff.Result result) {
		var counter = replica.bean(MeterRegistry.class)
			.find("atrium.mcp.stream.handoffs")
			.tag("outcome", result.name().toLowerCase(Locale.ROOT))
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String errorMessage(SseEvents refused) {
		return JSON.readTree(refused.rest()).path("error").path("message").asString();
	}

	private JsonNode message(SseEvents.Event event) {
		return JSON.readTree(event.data());
	}

}
