package dev.atrium.gateway.security;

import java.util.List;

import dev.atrium.policy.auth.BearerChallenges;
import dev.atrium.policy.auth.ResourceMetadataLocation;
import dev.atrium.policy.auth.ScenarioAuth;
import dev.atrium.policy.auth.ScenarioAuthRegistry;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * 403 with an {@code insufficient_scope} challenge for a pass-through route the caller's
 * scopes do not open.
 */
final class InsufficientScopeHandler implements ServerAccessDeniedHandler {

	private final ScenarioAuthRegistry registry;

	InsufficientScopeHandler(ScenarioAuthRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		ScenarioAuth scenario = this.registry.forPath(exchange.getRequest().getPath().value()).orElseThrow();
		List<String> scopes = scenario.operations().required("tools/call");
		String description = "this route needs one of the scopes " + String.join(", ", scopes);
		String challenge = BearerChallenges.header(ResourceMetadataLocation.metadata(exchange.getRequest(), scenario),
				scopes.isEmpty() ? scopes : scopes.subList(0, 1), "insufficient_scope", description);
		return BearerChallenges.write(exchange, HttpStatus.FORBIDDEN, challenge, "insufficient_scope", description);
	}

}
