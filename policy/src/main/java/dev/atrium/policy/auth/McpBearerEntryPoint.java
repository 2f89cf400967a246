package dev.atrium.policy.auth;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers an unauthenticated request with 401 and a challenge that sends the client to
 * the scenario's protected-resource metadata, as the MCP authorization spec requires.
 */
public final class McpBearerEntryPoint implements ServerAuthenticationEntryPoint {

	private final ScenarioAuthRegistry registry;

	public McpBearerEntryPoint(ScenarioAuthRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		ScenarioAuth scenario = this.registry.forPath(exchange.getRequest().getPath().value()).orElse(null);
		String metadata = (scenario != null) ? ResourceMetadataLocation.metadata(exchange.getRequest(), scenario) : "";
		List<String> scopes = (scenario != null) ? scenario.operations().required("tools/list") : List.of();
		boolean tokenSent = ex instanceof OAuth2AuthenticationException;
		String error = tokenSent ? ((OAuth2AuthenticationException) ex).getError().getErrorCode() : null;
		String description = tokenSent ? describe((OAuth2AuthenticationException) ex) : "A bearer token is required";
		String challenge = BearerChallenges.header(metadata, scopes.isEmpty() ? scopes : scopes.subList(0, 1), error,
				tokenSent ? description : null);
		return BearerChallenges.write(exchange, HttpStatus.UNAUTHORIZED, challenge,
				(error != null) ? error : "invalid_request", description);
	}

	private static String describe(OAuth2AuthenticationException ex) {
		String description = ex.getError().getDescription();
		return (description != null) ? description : "The access token is invalid";
	}

}
