package dev.atrium.gateway.passthrough;

import java.nio.charset.StandardCharsets;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.transport.StreamSlots;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pass-through stream cap on mock exchanges; the route tests run it against a real
 * streaming target.
 */
class StreamSlotsGatewayFilterTests {

	private static final String CLIENT = StreamSlots.client(null, null);

	private final StreamSlots slots = new StreamSlots(1);

	private final StreamSlotsGatewayFilter filter = new StreamSlotsGatewayFilter(this.slots, new JsonRpcCodec());

	@Test
	void aRequestThatTakesNoStreamTakesNoSlot() {
		MockServerWebExchange exchange = exchange(MediaType.APPLICATION_JSON);
		Sinks.Empty<Void> answer = Sinks.empty();
		this.filter.filter(exchange, (served) -> answer.asMono()).subscribe();
		assertThat(this.slots.open(CLIENT)).isZero();
	}

	@Test
	void aStreamHoldsItsSlotUntilTheChainEnds() {
		MockServerWebExchange exchange = exchange(MediaType.TEXT_EVENT_STREAM);
		Sinks.Empty<Void> streaming = Sinks.empty();
		this.filter.filter(exchange, answer(MediaType.TEXT_EVENT_STREAM, streaming)).subscribe();
		assertThat(this.slots.open(CLIENT)).isEqualTo(1);
		streaming.tryEmitEmpty();
		assertThat(this.slots.open(CLIENT)).isZero();
	}

	@Test
	void aPlainAnswerGivesItsSlotBackWhenItIsCommitted() {
		MockServerWebExchange exchange = exchange(MediaType.TEXT_EVENT_STREAM);
		Sinks.Empty<Void> rest = Sinks.empty();
		this.filter.filter(exchange, answer(MediaType.APPLICATION_JSON, rest)).subscribe();
		assertThat(this.slots.open(CLIENT)).isZero();
	}

	@Test
	void aClientAtTheCapGets429WithAJsonRpcErrorAndTheChainIsNotCalled() {
		this.slots.tryAcquire(CLIENT);
		MockServerWebExchange exchange = exchange(MediaType.TEXT_EVENT_STREAM);
		boolean[] called = new boolean[1];
		this.filter.filter(exchange, (served) -> {
			called[0] = true;
			return Mono.empty();
		}).block();
		assertThat(called[0]).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(exchange.getResponse().getHeaders().getConnection()).containsExactly("close");
		assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":-32600")
			.contains("this client has 1 SSE streams open");
		assertThat(this.slots.open(CLIENT)).isEqualTo(1);
	}

	@Test
	void describesItself() {
		assertThat(this.filter).hasToString("StreamSlots[maxPerClient=1]");
	}

	private static MockServerWebExchange exchange(MediaType accept) {
		return MockServerWebExchange.from(MockServerHttpRequest.post("/internal/targets/demo/mcp").accept(accept));
	}

	/** A proxied answer of the type that commits at once and ends with {@code end}. */
	private static GatewayFilterChain answer(MediaType type, Sinks.Empty<Void> end) {
		return (served) -> {
			served.getResponse().getHeaders().setContentType(type);
			return served.getResponse()
				.writeWith(Mono
					.just(served.getResponse().bufferFactory().wrap("data: x\n\n".getBytes(StandardCharsets.UTF_8))))
				.then(end.asMono());
		};
	}

}
