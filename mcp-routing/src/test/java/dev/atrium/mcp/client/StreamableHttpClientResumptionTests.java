package dev.atrium.mcp.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A target that ends its answer's stream before the answer (SEP-1699 polling) is resumed
 * with {@code GET} and {@code Last-Event-ID} after the {@code retry} it asked for, and
 * only then: against a local target that closes streams on purpose.
 */
class StreamableHttpClientResumptionTests {

	private static final JsonRpcCodec CODEC = new JsonRpcCodec();

	private static final JsonRpcMessage CALL = JsonRpcCodec.request("1", "tools/call", JsonRpcCodec.object());

	private static final UpstreamSession SESSION = new UpstreamSession("session-7", "2025-11-25");

	private static final String PROGRESS = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}";

	private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"content\":[]}}";

	static DisposableServer target;

	static final List<Reconnection> reconnections = new CopyOnWriteArrayList<>();

	static volatile long closedAt;

	@BeforeAll
	static void start() {
		target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.post("/polling",
						(request, response) -> closing(response,
								"id: e1\nretry: 300\ndata: \n\nid: e2\nevent: message\ndata: " + PROGRESS + "\n\n"))
				.get("/polling",
						(request, response) -> reconnected(request, response,
								"id: e3\nevent: message\ndata: " + RESULT + "\n\n"))
				.post("/no-ids", (request, response) -> closing(response, "event: message\ndata: " + PROGRESS + "\n\n"))
				.get("/no-ids", (request, response) -> reconnected(request, response, ""))
				.post("/refusing", (request, response) -> closing(response, "id: e1\nretry: 10\ndata: \n\n"))
				.get("/refusing", (request, response) -> {
					reconnections.add(new Reconnection(request.requestHeaders().get("Last-Event-ID"),
							request.requestHeaders().get("Mcp-Session-Id"), System.nanoTime()));
					return response.status(405).send();
				})
				.post("/quiet", (request, response) -> closing(response, "id: q0\nretry: 10\ndata: \n\n"))
				.get("/quiet", (request, response) -> reconnected(request, response, "id: q1\ndata: \n\n")))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		target.disposeNow();
	}

	@BeforeEach
	void forget() {
		reconnections.clear();
	}

	@Test
	void aStreamEndedBeforeTheAnswerIsResumedAfterTheLastEventOnceTheRetryHasPassed() {
		List<JsonRpcMessage> messages = client("/polling").call(CALL, SESSION).block().messages().collectList().block();
		assertThat(messages).extracting(JsonRpcMessage::kind)
			.containsExactly(JsonRpcMessage.Kind.NOTIFICATION, JsonRpcMessage.Kind.RESPONSE);
		assertThat(reconnections).singleElement().satisfies((reconnection) -> {
			assertThat(reconnection.lastEventId()).isEqualTo("e2");
			assertThat(reconnection.sessionId()).isEqualTo("session-7");
			assertThat(Duration.ofNanos(reconnection.at() - closedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
		});
	}

	@Test
	void aStreamWithoutEventIdsIsNotResumed() {
		List<JsonRpcMessage> messages = client("/no-ids").call(CALL, SESSION).block().messages().collectList().block();
		assertThat(messages).extracting(JsonRpcMessage::kind).containsExactly(JsonRpcMessage.Kind.NOTIFICATION);
		assertThat(reconnections).isEmpty();
	}

	@Test
	void aTargetThatRefusesToResumeFailsTheCall() {
		UpstreamReply reply = client("/refusing").call(CALL, SESSION).block();
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> reply.messages().collectList().block())
			.withMessageContaining("refused to resume it (HTTP 405)");
		assertThat(reconnections).hasSize(1);
	}

	@Test
	void reconnectionsThatBringNothingAreGivenUpAfterAFew() {
		List<JsonRpcMessage> messages = client("/quiet").call(CALL, SESSION).block().messages().collectList().block();
		assertThat(messages).isEmpty();
		assertThat(reconnections).hasSize(TargetStreamCursor.MAX_QUIET_RECONNECTIONS)
			.extracting(Reconnection::lastEventId)
			.containsExactly("q0", "q1", "q1");
	}

	@Test
	void aNotificationIsNeverResumed() {
		JsonRpcMessage notification = JsonRpcCodec.notification("notifications/cancelled", JsonRpcCodec.object());
		client("/polling").send(notification, SESSION).collectList().block();
		assertThat(reconnections).isEmpty();
	}

	private static Mono<Void> closing(HttpServerResponse response, String events) {
		return response.header("Content-Type", "text/event-stream")
			.sendString(Mono.just(events))
			.then()
			.doOnSuccess((done) -> closedAt = System.nanoTime());
	}

	private static Mono<Void> reconnected(HttpServerRequest request, HttpServerResponse response, String events) {
		reconnections.add(new Reconnection(request.requestHeaders().get("Last-Event-ID"),
				request.requestHeaders().get("Mcp-Session-Id"), System.nanoTime()));
		return response.header("Content-Type", "text/event-stream").sendString(Mono.just(events)).then();
	}

	private static StreamableHttpClient client(String path) {
		URI uri = URI.create("http://127.0.0.1:" + target.port() + path);
		return new StreamableHttpClient(new TargetEndpoint("t", uri, Map.of(), Duration.ofSeconds(1),
				Duration.ofSeconds(3), Duration.ofSeconds(3)), HttpClient.create(), CODEC);
	}

	private record Reconnection(String lastEventId, String sessionId, long at) {
	}

}
