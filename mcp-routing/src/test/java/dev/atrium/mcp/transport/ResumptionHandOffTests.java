package dev.atrium.mcp.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off against a real holder: a loopback HTTP server that streams SSE, one that
 * accepts connections and never answers, and a port nobody listens on.
 */
class ResumptionHandOffTests {

	private final List<ResumptionHandOff.Result> results = new CopyOnWriteArrayList<>();

	private final List<HttpHeaders> received = new CopyOnWriteArrayList<>();

	private final Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();

	/** Time enough for the first connection of a loaded machine to be made. */
	private final ResumptionHandOff handOff = new ResumptionHandOff(HttpClient.create(), Duration.ofSeconds(5),
			Duration.ofSeconds(10), this.results::add);

	private DisposableServer holder;

	@AfterEach
	void stopHolder() {
		if (this.holder != null) {
			this.holder.disposeNow();
		}
	}

	@Test
	void theHoldersStreamIsRelayedAsItComesWithTheClientsOwnHeaders() {
		this.holder = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/internal/mcp", (request, response) -> {
				HttpHeaders headers = new HttpHeaders();
				request.requestHeaders().forEach((entry) -> headers.add(entry.getKey(), entry.getValue()));
				this.received.add(headers);
				return response.header("Content-Type", "text/event-stream")
					.header("Cache-Control", "no-cache")
					.sendString(this.events.asFlux());
			}))
			.bindNow();
		this.events.tryEmitNext("id: s.3\ndata: {\"n\":3}\n\n");
		ResumptionHandOff.Outcome outcome = this.handOff.handOff(clientRequest(), holderUri()).block();
		assertThat(outcome).isInstanceOfSatisfying(ResumptionHandOff.Outcome.Relayed.class, (relayed) -> {
			assertThat(relayed.status()).isEqualTo(HttpStatus.OK);
			assertThat(relayed.headers().getFirst(HttpHeaders.CONTENT_TYPE)).isEqualTo("text/event-stream");
			StepVerifier.create(relayed.body().map(ResumptionHandOffTests::text))
				.expectNext("id: s.3\ndata: {\"n\":3}\n\n")
				// The next event is sent only now: the relay streams, it does not wait.
				.then(() -> this.events.tryEmitNext("id: s.4\ndata: {\"n\":4}\n\n"))
				.expectNext("id: s.4\ndata: {\"n\":4}\n\n")
				.then(() -> this.events.tryEmitComplete())
				.expectComplete()
				.verify(Duration.ofSeconds(5));
		});
		HttpHeaders forwarded = this.received.get(0);
		assertThat(forwarded.getFirst(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer the-clients-token");
		assertThat(forwarded.getFirst("Mcp-Session-Id")).isEqualTo("the-session");
		assertThat(forwarded.getFirst("Last-Event-ID")).isEqualTo("s.2");
		assertThat(forwarded.getFirst(HttpHeaders.HOST)).isEqualTo("atrium.example.com");
		assertThat(forwarded.getFirst(ResumptionHandOff.HANDED_OFF)).isEqualTo("1");
		assertThat(forwarded.getFirst(HttpHeaders.ACCEPT_ENCODING)).isNull();
		assertThat(this.results).containsExactly(ResumptionHandOff.Result.RELAYED);
	}

	@Test
	void theHoldersRefusalIsRelayedAsItIs() {
		this.holder = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/internal/mcp",
					(request, response) -> response.status(400)
						.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"error\":\"not kept\"}"))))
			.bindNow();
		ResumptionHandOff.Outcome outcome = this.handOff.handOff(clientRequest(), holderUri()).block();
		assertThat(outcome).isInstanceOfSatisfying(ResumptionHandOff.Outcome.Relayed.class, (relayed) -> {
			assertThat(relayed.status()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(DataBufferUtils.join(relayed.body()).map(ResumptionHandOffTests::text).block())
				.isEqualTo("{\"error\":\"not kept\"}");
		});
	}

	@Test
	void aRequestHandedOffAlreadyIsNotHandedOffAgain() throws IOException {
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			listener.configureBlocking(false);
			URI address = URI.create("http://127.0.0.1:" + listener.socket().getLocalPort());
			ServerRequest marked = ServerRequest
				.create(MockServerWebExchange.from(MockServerHttpRequest.get("http://atrium.example.com/internal/mcp")
					.header(ResumptionHandOff.HANDED_OFF, "1")), HandlerStrategies.withDefaults().messageReaders());
			ResumptionHandOff.Outcome outcome = this.handOff.handOff(marked, address).block();
			assertThat(outcome).isInstanceOfSatisfying(ResumptionHandOff.Outcome.Refused.class,
					(refused) -> assertThat(refused.reason()).contains("handed off"));
			// Nothing was even attempted: no connection waits to be accepted.
			assertThat(listener.accept()).isNull();
			assertThat(this.results).containsExactly(ResumptionHandOff.Result.LOOP_REFUSED);
		}
	}

	@Test
	void aHolderThatIsDownIsReportedWithoutItsAddress() throws IOException {
		URI address;
		try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			address = URI.create("http://127.0.0.1:" + closed.getLocalPort());
		}
		ResumptionHandOff.Outcome outcome = this.handOff.handOff(clientRequest(), address).block();
		assertThat(outcome).isInstanceOfSatisfying(ResumptionHandOff.Outcome.Refused.class, (refused) -> {
			assertThat(refused.reason()).contains("could not be reached");
			assertThat(refused.reason()).doesNotContain("127.0.0.1").doesNotContain(String.valueOf(address.getPort()));
		});
		assertThat(this.results).containsExactly(ResumptionHandOff.Result.UNREACHABLE);
	}

	@Test
	void aHolderThatDoesNotAnswerInTimeIsGivenUp() throws IOException {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			URI address = URI.create("http://127.0.0.1:" + silent.getLocalPort());
			ResumptionHandOff impatient = new ResumptionHandOff(HttpClient.create(), Duration.ofSeconds(1),
					Duration.ofMillis(500), this.results::add);
			ResumptionHandOff.Outcome outcome = impatient.handOff(clientRequest(), address)
				.block(Duration.ofSeconds(5));
			assertThat(outcome).isInstanceOfSatisfying(ResumptionHandOff.Outcome.Refused.class,
					(refused) -> assertThat(refused.reason()).contains("did not answer within PT0.5S"));
		}
		assertThat(this.results).containsExactly(ResumptionHandOff.Result.UNREACHABLE);
	}

	private URI holderUri() {
		return URI.create("http://127.0.0.1:" + this.holder.port());
	}

	private static ServerRequest clientRequest() {
		return ServerRequest
			.create(MockServerWebExchange.from(MockServerHttpRequest.get("http://atrium.example.com/internal/mcp")
				.header(HttpHeaders.AUTHORIZATION, "Bearer the-clients-token")
				.header("Mcp-Session-Id", "the-session")
				.header("Last-Event-ID", "s.2")
				.header(HttpHeaders.ACCEPT, "text/event-stream")
				.header(HttpHeaders.ACCEPT_ENCODING, "gzip")
				.header(HttpHeaders.CONNECTION, "keep-alive")), HandlerStrategies.withDefaults().messageReaders());
	}

	private static String text(DataBuffer buffer) {
		String text = buffer.toString(StandardCharsets.UTF_8);
		DataBufferUtils.release(buffer);
		return text;
	}

}
