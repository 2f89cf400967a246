package dev.atrium.policy.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The body deadline on virtual time: chunks are pushed by hand and the clock is advanced,
 * nothing sleeps.
 */
class RequestBodyTimeoutWebFilterTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final RequestBodyTimeoutWebFilter filter = new RequestBodyTimeoutWebFilter(Duration.ofSeconds(10),
			McpPaths.endpoints(), this.time);

	private final Sinks.Many<DataBuffer> body = Sinks.many().unicast().onBackpressureBuffer();

	private final StringBuilder read = new StringBuilder();

	/** Reads the whole body, as the MCP handler does, and answers 200. */
	private final WebFilterChain handler = (exchange) -> DataBufferUtils.join(exchange.getRequest().getBody())
		.doOnNext((buffer) -> {
			this.read.append(buffer.toString(StandardCharsets.UTF_8));
			DataBufferUtils.release(buffer);
		})
		.then(Mono.fromRunnable(() -> exchange.getResponse().setStatusCode(HttpStatus.OK)));

	@Test
	void aBodyThatArrivesInTimePassesUntouched() {
		MockServerWebExchange exchange = exchange("/internal/mcp");
		Disposable handling = this.filter.filter(exchange, this.handler).subscribe();
		send("{\"jsonrpc\":");
		this.time.advanceTimeBy(Duration.ofSeconds(9));
		send("\"2.0\"}");
		this.body.tryEmitComplete();
		assertThat(handling.isDisposed()).isTrue();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.read).hasToString("{\"jsonrpc\":\"2.0\"}");
		this.time.advanceTimeBy(Duration.ofMinutes(1));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void aBodyThatStopsComingGets408WithAJsonRpcErrorAtTheDeadline() {
		MockServerWebExchange exchange = exchange("/internal/mcp");
		this.filter.filter(exchange, this.handler).subscribe();
		send("{\"jsonrpc\":");
		this.time.advanceTimeBy(Duration.ofMillis(9_999));
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertRequestTimeout(exchange);
	}

	@Test
	void aBodyThatTricklesInGets408AtTheDeadlineAlthoughNoGapIsLong() {
		MockServerWebExchange exchange = exchange("/internal/mcp");
		this.filter.filter(exchange, this.handler).subscribe();
		for (int second = 0; second < 10; second++) {
			assertThat(exchange.getResponse().getStatusCode()).as("after %d s", second).isNull();
			send("x");
			this.time.advanceTimeBy(Duration.ofSeconds(1));
		}
		assertRequestTimeout(exchange);
	}

	@Test
	void theDeadlineCountsFromTheRequestNotFromTheFirstRead() {
		MockServerWebExchange exchange = exchange("/internal/mcp");
		WebFilterChain slowToRead = (served) -> Mono.delay(Duration.ofSeconds(8), this.time)
			.then(this.handler.filter(served));
		this.filter.filter(exchange, slowToRead).subscribe();
		this.time.advanceTimeBy(Duration.ofSeconds(8));
		send("x");
		this.time.advanceTimeBy(Duration.ofSeconds(2));
		assertRequestTimeout(exchange);
	}

	@Test
	void otherPathsHaveNoDeadline() {
		MockServerWebExchange exchange = exchange("/actuator/health");
		this.filter.filter(exchange, this.handler).subscribe();
		send("x");
		this.time.advanceTimeBy(Duration.ofMinutes(5));
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		this.body.tryEmitComplete();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void anAnswerAlreadyStartedIsEndedWithTheError() {
		MockServerWebExchange exchange = exchange("/internal/mcp");
		WebFilterChain answersFirst = (served) -> served.getResponse().setComplete().then(this.handler.filter(served));
		Throwable[] failure = new Throwable[1];
		this.filter.filter(exchange, answersFirst).subscribe(null, (ex) -> failure[0] = ex);
		this.time.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(failure[0]).hasMessage("request body deadline passed");
	}

	@Test
	void aTimeoutThatIsNotPositiveIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RequestBodyTimeoutWebFilter(Duration.ZERO, McpPaths.endpoints(), this.time))
			.withMessage("body read timeout must be > 0, was PT0S");
	}

	@Test
	void describesItself() {
		assertThat(this.filter).hasToString("RequestBodyTimeout[timeout=PT10S]");
	}

	private MockServerWebExchange exchange(String path) {
		return MockServerWebExchange.from(MockServerHttpRequest.post(path).body(this.body.asFlux()));
	}

	private void send(String text) {
		this.body.tryEmitNext(DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8)));
	}

	private static void assertRequestTimeout(MockServerWebExchange exchange) {
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
		assertThat(exchange.getResponse().getHeaders().getConnection()).containsExactly("close");
		assertThat(exchange.getResponse().getBodyAsString().block())
			.isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
					+ "\"message\":\"Request Timeout: the body did not arrive within 10000 ms\"}}");
	}

}
