package dev.atrium.policy.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.transport.McpAccess;
import dev.atrium.policy.caller.CallerIdentities;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * A scenario's access rules for MCP messages: each operation needs one of its scopes. A
 * denial is 403 with an {@code insufficient_scope} challenge naming the scope to ask for
 * (step-up authorization, MCP 2025-11-25).
 */
public final class ScopeAccess {

	/** Atrium's JSON-RPC code for a request the caller may not make. */
	public static final int FORBIDDEN = -32003;

	private final ScenarioAuth scenario;

	public ScopeAccess(ScenarioAuth scenario) {
		this.scenario = scenario;
	}

	/**
	 * The id of the caller authenticated for the current request (issuer and subject),
	 * empty when anonymous: what streams are counted by on pass-through routes.
	 */
	public static Mono<String> currentCallerId() {
		return authentication().ofType(JwtAuthenticationToken.class)
			.map((token) -> token.getToken().getClaimAsString("iss") + "|" + token.getToken().getSubject());
	}

	/** Empty when the caller holds a scope the message's method needs, else why not. */
	public Mono<McpAccess.Denial> check(ServerWebExchange exchange, JsonRpcMessage message) {
		if (!message.isRequest()) {
			return Mono.empty();
		}
		List<String> required = this.scenario.operations().required(message.method());
		if (required.isEmpty()) {
			return Mono.empty();
		}
		return authentication().map(CallerIdentities::scopes)
			.defaultIfEmpty(Set.of())
			.flatMap((granted) -> required.stream().anyMatch(granted::contains) ? Mono.empty()
					: Mono.just(denial(exchange, message.method(), required)));
	}

	private McpAccess.Denial denial(ServerWebExchange exchange, String method, List<String> required) {
		String description = method + " needs one of the scopes " + String.join(", ", required);
		String challenge = BearerChallenges.header(
				ResourceMetadataLocation.metadata(exchange.getRequest(), this.scenario), List.of(required.get(0)),
				"insufficient_scope", description);
		return new McpAccess.Denial(HttpStatus.FORBIDDEN, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge),
				new JsonRpcError(FORBIDDEN, "Forbidden: " + description));
	}

	private static Mono<Authentication> authentication() {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(Authentication::isAuthenticated);
	}

}
