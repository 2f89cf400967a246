package dev.atrium.gateway.passthrough;

import dev.atrium.policy.access.ScenarioAccess;
import dev.atrium.policy.http.JsonRpcErrorBodies;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * The scenario's policies on a pass-through route: tenant, permission level and rate
 * limit, so that the route is no way around them.
 */
final class PassThroughPolicyGatewayFilter implements GatewayFilter {

	private final ScenarioAccess access;

	private final String target;

	PassThroughPolicyGatewayFilter(ScenarioAccess access, String target) {
		this.access = access;
		this.target = target;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return this.access.checkPassThrough(exchange, this.target)
			.flatMap((denial) -> JsonRpcErrorBodies.refuse(exchange, "policy_" + denial.status().value(),
					denial.status(), denial.headers(), denial.error()))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange)));
	}

	@Override
	public String toString() {
		return "PassThroughPolicy[target=" + this.target + ", " + this.access + "]";
	}

}
