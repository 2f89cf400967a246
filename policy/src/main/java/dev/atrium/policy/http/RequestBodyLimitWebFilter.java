package dev.atrium.policy.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Caps request bodies on MCP endpoints: a declared {@code Content-Length} over the cap is
 * refused at once, and a chunked body is counted as it streams and cut with 413 (or, if
 * the answer already started, an error) as soon as it passes the cap. Trusting
 * {@code Content-Length} alone would let chunked bodies through.
 */
public final class RequestBodyLimitWebFilter implements WebFilter, Ordered {

	public static final int ORDER = DnsRebindingProtectionWebFilter.ORDER + 10;

	private final long maxBytes;

	private final Predicate<String> protectedPaths;

	/**
	 * Computed once: Spring's filter chain asks for it on every request (it names the
	 * checkpoint of each filter).
	 */
	private final String description;

	public RequestBodyLimitWebFilter(long maxBytes, Predicate<String> protectedPaths) {
		if (maxBytes < 1) {
			throw new IllegalArgumentException("max request body must be > 0 bytes, was " + maxBytes);
		}
		this.maxBytes = maxBytes;
		this.protectedPaths = protectedPaths;
		this.description = "RequestBodyLimit[maxBytes=" + maxBytes + "]";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.protectedPaths.test(request.getPath().value())) {
			return chain.filter(exchange);
		}
		if (request.getHeaders().getContentLength() > this.maxBytes) {
			return tooLarge(exchange);
		}
		ServerHttpRequest limited = new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				AtomicLong seen = new AtomicLong();
				return super.getBody().handle((buffer, sink) -> {
					if (seen.addAndGet(buffer.readableByteCount()) > RequestBodyLimitWebFilter.this.maxBytes) {
						DataBufferUtils.release(buffer);
						sink.error(new DataBufferLimitException(
								"request body exceeds " + RequestBodyLimitWebFilter.this.maxBytes + " bytes"));
						return;
					}
					sink.next(buffer);
				});
			}
		};
		return chain.filter(exchange.mutate().request(limited).build())
			.onErrorResume(DataBufferLimitException.class,
					(ex) -> exchange.getResponse().isCommitted() ? Mono.error(ex) : tooLarge(exchange));
	}

	private Mono<Void> tooLarge(ServerWebExchange exchange) {
		return JsonRpcErrorBodies.refuse(exchange, "body_too_large", HttpStatus.CONTENT_TOO_LARGE,
				"Content Too Large: the body exceeds " + this.maxBytes + " bytes");
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
