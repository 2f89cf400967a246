package dev.atrium.mcp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.atrium.mcp.client.credentials.OutboundCredentials;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a local target that says its session is busy ({@code -32005}, as AgentCore
 * Runtime does) a given number of times before it answers: the request is sent again
 * until it is answered, or the last busy answer goes to the caller; targets not known to
 * mean "busy" by that code get their answer as it is, and streamed answers are never sent
 * again.
 */
class BusySessionRetryTests {

	private static final JsonRpcMessage CALL = JsonRpcCodec.request("1", "tools/call", JsonRpcCodec.object());

	private static final String BUSY = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"error\":{\"code\":-32005,"
			+ "\"message\":\"Session operation in progress\"}}";

	private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{\"content\":[]}}";

	private static final AtomicInteger busyLeft = new AtomicInteger();

	private static final AtomicInteger requests = new AtomicInteger();

	static DisposableServer target;

	@BeforeAll
	static void start() {
		target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/json", (request, response) -> request.receive().then(Mono.defer(() -> {
				requests.incrementAndGet();
				String answer = (busyLeft.getAndDecrement() > 0) ? BUSY : RESULT;
				return response.header("Content-Type", "application/json").sendString(Mono.just(answer)).then();
			}))).post("/sse", (request, response) -> request.receive().then(Mono.defer(() -> {
				requests.incrementAndGet();
				return response.header("Content-Type", "text/event-stream")
					.sendString(Mono.just("event: message\ndata: " + BUSY + "\n\n"))
					.then();
			}))))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		target.disposeNow();
	}

	@BeforeEach
	void reset() {
		requests.set(0);
		busyLeft.set(0);
	}

	@Test
	void aBusySessionIsAskedAgainUntilItAnswers() {
		busyLeft.set(2);

		JsonRpcMessage answer = client("/json", new BusySessionRetry(4, Duration.ofMillis(10), Duration.ofMillis(50)))
			.call(CALL, null)
			.flatMap((reply) -> reply.messages().next())
			.block();

		assertThat(answer.node().has("result")).isTrue();
		assertThat(requests).hasValue(3);
	}

	@Test
	void whenTheRetriesRunOutTheLastBusyAnswerIsTheCallers() {
		busyLeft.set(10);

		JsonRpcMessage answer = client("/json", new BusySessionRetry(2, Duration.ofMillis(10), Duration.ofMillis(50)))
			.call(CALL, null)
			.flatMap((reply) -> reply.messages().next())
			.block();

		assertThat(answer.node().at("/error/code").asInt()).isEqualTo(BusySessionRetry.BUSY_CODE);
		assertThat(requests).hasValue(3);
	}

	@Test
	void aTargetNotKnownToMeanBusyGetsItsAnswerPassedOn() {
		busyLeft.set(1);

		JsonRpcMessage answer = client("/json", BusySessionRetry.NONE).call(CALL, null)
			.flatMap((reply) -> reply.messages().next())
			.block();

		assertThat(answer.node().at("/error/code").asInt()).isEqualTo(BusySessionRetry.BUSY_CODE);
		assertThat(requests).hasValue(1);
	}

	@Test
	void aStreamedAnswerIsNeverSentAgain() {
		UpstreamReply reply = client("/sse", new BusySessionRetry(4, Duration.ofMillis(10), Duration.ofMillis(50)))
			.call(CALL, null)
			.block();

		assertThat(reply.streamed()).isTrue();
		assertThat(reply.messages().collectList().block()).hasSize(1);
		assertThat(requests).hasValue(1);
	}

	private static StreamableHttpClient client(String path, BusySessionRetry retry) {
		URI uri = URI.create("http://127.0.0.1:" + target.port() + path);
		return new StreamableHttpClient(
				new TargetEndpoint("t", uri, Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(5),
						Duration.ofSeconds(5), OutboundCredentials.NONE, retry),
				HttpClient.create(), new JsonRpcCodec());
	}

}
