package dev.atrium.mcp.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The time limits of a call, against a local target that hangs, streams, goes silent or
 * fails: a stream that keeps sending is never cut, however long it runs.
 */
class StreamableHttpClientTimeLimitsTests {

	private static final Duration FIRST_BYTE = Duration.ofSeconds(3);

	private static final Duration IDLE = Duration.ofSeconds(1);

	private static final JsonRpcCodec CODEC = new JsonRpcCodec();

	private static final JsonRpcMessage CALL = JsonRpcCodec.request("1", "tools/call", JsonRpcCodec.object());

	static DisposableServer target;

	@BeforeAll
	static void start() {
		target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/hang", (request, response) -> Mono.never())
				.post("/progress",
						(request, response) -> sse(response,
								Flux.interval(Duration.ofMillis(250))
									.take(14)
									.map((i) -> progress(i))
									.concatWithValues(result())))
				.post("/comments",
						(request, response) -> response.header("Content-Type", "text/event-stream")
							.sendString(Flux.interval(Duration.ofMillis(100))
								.take(15)
								.map((i) -> ": still working\n\n")
								.concatWithValues("event: message\ndata: " + result() + "\n\n"))
							.then())
				.post("/silent", (request, response) -> sse(response, Flux.just(progress(0)).concatWith(Mono.never())))
				.post("/unavailable", (request, response) -> response.status(503).sendString(Mono.just("busy"))))
			.bindNow();
		// The first call of a JVM loads the client's classes: not what the limits judge.
		client("/unavailable").call(CALL, null).onErrorResume((ex) -> Mono.empty()).block();
	}

	@AfterAll
	static void stop() {
		target.disposeNow();
	}

	@Test
	void aTargetThatDoesNotBeginItsAnswerInTimeFailsWithNoFirstByte() {
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> client("/hang").call(CALL, null).block())
			.satisfies((ex) -> assertThat(ex.fault()).isEqualTo(TargetException.Fault.NO_FIRST_BYTE))
			.withMessage("Target 't' sent no answer within 3000 ms");
	}

	@Test
	void aStreamThatKeepsSendingRunsLongerThanEveryLimit() {
		UpstreamReply reply = client("/progress").call(CALL, null).block();
		assertThat(reply.streamed()).isTrue();
		List<JsonRpcMessage> messages = reply.messages().collectList().block();
		assertThat(messages).hasSize(15);
		assertThat(messages.get(14).kind()).isEqualTo(JsonRpcMessage.Kind.RESPONSE);
	}

	@Test
	void sseCommentsKeepAQuietStreamAlive() {
		List<JsonRpcMessage> messages = client("/comments").call(CALL, null).block().messages().collectList().block();
		assertThat(messages).hasSize(1);
	}

	@Test
	void aStreamThatGoesSilentIsCutWithWentSilent() {
		UpstreamReply reply = client("/silent").call(CALL, null).block();
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> reply.messages().collectList().block())
			.satisfies((ex) -> assertThat(ex.fault()).isEqualTo(TargetException.Fault.WENT_SILENT))
			.withMessage("Target 't' went silent for 1000 ms in the middle of its answer");
	}

	@Test
	void anHttpErrorStatusIsAFaultWithItsStatus() {
		assertThatExceptionOfType(TargetException.class)
			.isThrownBy(() -> client("/unavailable").call(CALL, null).block())
			.satisfies((ex) -> assertThat(ex.fault()).isEqualTo(TargetException.Fault.HTTP_STATUS))
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEqualTo(503));
	}

	@Test
	void aTargetThatRefusesConnectionsIsUnreachable() {
		StreamableHttpClient closed = new StreamableHttpClient(new TargetEndpoint("t",
				URI.create("http://127.0.0.1:9/"), Map.of(), Duration.ofSeconds(1), FIRST_BYTE, IDLE),
				HttpClient.create(), CODEC);
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> closed.call(CALL, null).block())
			.satisfies((ex) -> assertThat(ex.fault()).isEqualTo(TargetException.Fault.UNREACHABLE));
	}

	private static StreamableHttpClient client(String path) {
		URI uri = URI.create("http://127.0.0.1:" + target.port() + path);
		return new StreamableHttpClient(new TargetEndpoint("t", uri, Map.of(), Duration.ofSeconds(1), FIRST_BYTE, IDLE),
				HttpClient.create(), CODEC);
	}

	private static Mono<Void> sse(HttpServerResponse response, Flux<String> messages) {
		return response.header("Content-Type", "text/event-stream")
			.sendString(messages.map((message) -> "event: message\ndata: " + message + "\n\n"))
			.then();
	}

	private static String progress(long i) {
		return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":"
				+ i + "}}";
	}

	private static String result() {
		return "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"content\":[]}}";
	}

}
