package dev.atrium.gateway.passthrough;

import java.util.List;
import java.util.Optional;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.transport.AcceptHeader;
import dev.atrium.mcp.transport.StreamSlots;
import dev.atrium.policy.auth.ScopeAccess;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Holds pass-through streams to the same cap per client as the scenario endpoints, in the
 * same count. Atrium does not read pass-through bodies, so every request that accepts an
 * event stream takes a slot before it is proxied; the slot returns as soon as the answer
 * turns out not to be a stream, otherwise when the stream ends or the client goes away.
 */
final class StreamSlotsGatewayFilter implements GatewayFilter, Ordered {

	/**
	 * Around the filter that writes the proxied answer, so that the chain ends only once
	 * the answer, stream or not, has been written.
	 */
	static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	private final StreamSlots streams;

	private final JsonRpcCodec codec;

	StreamSlotsGatewayFilter(StreamSlots streams, JsonRpcCodec codec) {
		this.streams = streams;
		this.codec = codec;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!AcceptHeader.acceptsEventStream(accepted(exchange))) {
			return chain.filter(exchange);
		}
		return ScopeAccess.currentCallerId()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((caller) -> this.streams
				.tryAcquire(StreamSlots.client(caller.orElse(null), exchange.getRequest().getRemoteAddress()))
				.map((slot) -> holding(slot, exchange, chain))
				.orElseGet(() -> tooManyStreams(exchange.getResponse())));
	}

	private static Mono<Void> holding(StreamSlots.Slot slot, ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpResponse response = exchange.getResponse();
		response.beforeCommit(() -> {
			MediaType type = response.getHeaders().getContentType();
			if (type == null || !type.equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM)) {
				slot.release();
			}
			return Mono.empty();
		});
		// The chain ends when the proxied answer is written, fails, or is cancelled
		// because the client went away.
		return chain.filter(exchange).doFinally((signal) -> slot.release());
	}

	private Mono<Void> tooManyStreams(ServerHttpResponse response) {
		response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(StreamSlots.RETRY_AFTER.toSeconds()));
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		// The body was not read: the connection cannot carry another request.
		response.getHeaders().setConnection("close");
		byte[] body = this.codec.write(JsonRpcCodec.error(null, this.streams.refusal()));
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private static List<MediaType> accepted(ServerWebExchange exchange) {
		try {
			return exchange.getRequest().getHeaders().getAccept();
		}
		catch (InvalidMediaTypeException ex) {
			return List.of();
		}
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "StreamSlots[maxPerClient=" + this.streams.maxPerClient() + "]";
	}

}
