package dev.atrium.policy.auth;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.transport.McpAccess;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * A scenario's access rules for MCP messages: each operation needs one of its scopes. A
 * denial is 403 with an {@code insufficient_scope} challenge naming the scope to ask for
 * (step-up authorization, MCP 2025-11-25).
 */
public final class ScopeAccess implements McpAccess {

	/** Atrium's JSON-RPC code for a request the caller may not make. */
	public static final int FORBIDDEN = -32003;

	private final ScenarioAuth scenario;

	public ScopeAccess(ScenarioAuth scenario) {
		this.scenario = scenario;
	}

	@Override
	public Mono<String> callerId(ServerRequest request) {
		return currentCallerId();
	}

	/**
	 * The id of the caller authenticated for the current request (issuer and subject),
	 * empty when anonymous; what sessions are bound to and streams counted by, on every
	 * route.
	 */
	public static Mono<String> currentCallerId() {
		return authentication().ofType(JwtAuthenticationToken.class)
			.map((token) -> token.getToken().getClaimAsString("iss") + "|" + token.getToken().getSubject());
	}

	@Override
	public Mono<Denial> check(ServerRequest request, JsonRpcMessage message) {
		if (!message.isRequest()) {
			return Mono.empty();
		}
		List<String> required = this.scenario.operations().required(message.method());
		if (required.isEmpty()) {
			return Mono.empty();
		}
		return authentication().map(BearerScopes::of)
			.defaultIfEmpty(Set.of())
			.flatMap((granted) -> required.stream().anyMatch(granted::contains) ? Mono.empty()
					: Mono.just(denial(request, message.method(), required)));
	}

	private Denial denial(ServerRequest request, String method, List<String> required) {
		String description = method + " needs one of the scopes " + String.join(", ", required);
		String challenge = BearerChallenges.header(
				ResourceMetadataLocation.metadata(request.exchange().getRequest(), this.scenario),
				List.of(required.get(0)), "insufficient_scope", description);
		return new Denial(HttpStatus.FORBIDDEN, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge),
				new JsonRpcError(FORBIDDEN, "Forbidden: " + description));
	}

	private static Mono<Authentication> authentication() {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(Authentication::isAuthenticated);
	}

	/** The scopes of an authentication, without the {@code SCOPE_} prefix. */
	static final class BearerScopes {

		private BearerScopes() {
		}

		static Set<String> of(Authentication authentication) {
			return authentication.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.filter((authority) -> authority.startsWith(ScopeAuthoritiesConverter.PREFIX))
				.map((authority) -> authority.substring(ScopeAuthoritiesConverter.PREFIX.length()))
				.collect(Collectors.toUnmodifiableSet());
		}

	}

}
