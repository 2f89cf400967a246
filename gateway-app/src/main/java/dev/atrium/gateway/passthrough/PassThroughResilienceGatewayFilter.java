package dev.atrium.gateway.passthrough;

import java.util.Map;

import dev.atrium.mcp.client.TargetException;
import dev.atrium.policy.http.JsonRpcErrorBodies;
import dev.atrium.policy.resilience.ResilientTargetCalls;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

/**
 * The target's circuit breaker and bulkhead on its pass-through route, the same ones its
 * federated calls pass: a failing target is refused at once on every route, with a
 * JSON-RPC error naming it. Nothing is retried, since the relayed messages are not read.
 */
final class PassThroughResilienceGatewayFilter implements GatewayFilter {

	private final ResilientTargetCalls calls;

	private final String target;

	PassThroughResilienceGatewayFilter(ResilientTargetCalls calls, String target) {
		this.calls = calls;
		this.target = target;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return this.calls.relay(this.target, chain.filter(exchange), () -> status(exchange))
			.onErrorResume(TargetException.class,
					(ex) -> (ex.fault() == TargetException.Fault.NOT_CALLED && !exchange.getResponse().isCommitted())
							? JsonRpcErrorBodies.refuse(exchange, "target_guarded", HttpStatus.SERVICE_UNAVAILABLE,
									Map.of(), ex.error())
							: Mono.error(ex));
	}

	private static int status(ServerWebExchange exchange) {
		HttpStatusCode status = exchange.getResponse().getStatusCode();
		return (status != null) ? status.value() : HttpStatus.OK.value();
	}

	@Override
	public String toString() {
		return "PassThroughResilience[target=" + this.target + "]";
	}

}
