package dev.atrium.policy.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives the body of a request to an MCP endpoint a deadline, counted from when Atrium
 * starts handling the request: a client that trickles its body in (a byte now and then,
 * each in time for an idle timeout) holds a connection and a buffer no longer than that,
 * and gets 408 with a JSON-RPC error. Netty's idle timeout does not help here: it only
 * watches connections between requests.
 */
public final class RequestBodyTimeoutWebFilter implements WebFilter, Ordered {

	public static final int ORDER = RequestBodyLimitWebFilter.ORDER + 10;

	private final Duration timeout;

	private final Predicate<String> protectedPaths;

	private final Scheduler scheduler;

	/**
	 * Computed once: Spring's filter chain asks for it on every request (it names the
	 * checkpoint of each filter).
	 */
	private final String description;

	/**
	 * @param timeout how long the whole body may take to arrive
	 * @param protectedPaths the paths the deadline applies to
	 * @param scheduler the clock and timer of the deadline
	 */
	public RequestBodyTimeoutWebFilter(Duration timeout, Predicate<String> protectedPaths, Scheduler scheduler) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("body read timeout must be > 0, was " + timeout);
		}
		this.timeout = timeout;
		this.protectedPaths = protectedPaths;
		this.scheduler = scheduler;
		this.description = "RequestBodyTimeout[timeout=" + timeout + "]";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.protectedPaths.test(request.getPath().value())) {
			return chain.filter(exchange);
		}
		long deadline = this.scheduler.now(TimeUnit.NANOSECONDS) + this.timeout.toNanos();
		ServerHttpRequest timed = new ServerHttpRequestDecorator(request) {
			@Override
			public Flux<DataBuffer> getBody() {
				// Every chunk re-arms the timer with what is left, so the deadline holds
				// for the whole body however its chunks are spaced.
				return super.getBody().timeout(Mono.defer(() -> untilDeadline(deadline)),
						(buffer) -> untilDeadline(deadline), Flux.error(BodyReadTimeoutException::new));
			}
		};
		return chain.filter(exchange.mutate().request(timed).build())
			.onErrorResume(BodyReadTimeoutException.class,
					(ex) -> exchange.getResponse().isCommitted() ? Mono.error(ex) : tooSlow(exchange));
	}

	private Mono<Long> untilDeadline(long deadline) {
		long left = Math.max(0, deadline - this.scheduler.now(TimeUnit.NANOSECONDS));
		return Mono.delay(Duration.ofNanos(left), this.scheduler);
	}

	private Mono<Void> tooSlow(ServerWebExchange exchange) {
		return JsonRpcErrorBodies.refuse(exchange, "body_read_timeout", HttpStatus.REQUEST_TIMEOUT,
				"Request Timeout: the body did not arrive within " + this.timeout.toMillis() + " ms");
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return this.description;
	}

	/** Inside the filter only: the body's deadline passed. */
	private static final class BodyReadTimeoutException extends RuntimeException {

		BodyReadTimeoutException() {
			super("request body deadline passed", null, false, false);
		}

	}

}
