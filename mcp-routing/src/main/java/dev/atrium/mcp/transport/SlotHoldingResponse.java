package dev.atrium.mcp.transport;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * A response that holds a stream slot until it has been written: for an SSE stream, until
 * the stream ends or the client goes away (writing then fails or is cancelled); for a
 * plain answer, until its bytes are out. Writing is the one thing every way of ending a
 * stream goes through, so the slot cannot leak.
 */
final class SlotHoldingResponse implements ServerResponse {

	private final ServerResponse response;

	private final StreamSlots.Slot slot;

	SlotHoldingResponse(ServerResponse response, StreamSlots.Slot slot) {
		this.response = response;
		this.slot = slot;
	}

	@Override
	public HttpStatusCode statusCode() {
		return this.response.statusCode();
	}

	@Override
	public HttpHeaders headers() {
		return this.response.headers();
	}

	@Override
	public MultiValueMap<String, ResponseCookie> cookies() {
		return this.response.cookies();
	}

	@Override
	public Mono<Void> writeTo(ServerWebExchange exchange, Context context) {
		return Mono.defer(() -> this.response.writeTo(exchange, context)).doFinally((signal) -> this.slot.release());
	}

}
