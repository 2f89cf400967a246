package dev.atrium.gateway.security;

import dev.atrium.observability.logging.LogContext;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the authenticated caller's client id into the log context of the rest of the
 * request, right after Spring Security has verified the token: {@code client_id}, else
 * {@code azp}, else the subject. Anonymous requests get none.
 */
public final class ClientIdLogContextWebFilter implements WebFilter, Ordered {

	private static final int SECURITY_FILTER_CHAIN_ORDER = -100;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.ofType(JwtAuthenticationToken.class)
			.mapNotNull((authentication) -> clientId(authentication.getToken()))
			.map((client) -> chain.filter(exchange).contextWrite(LogContext.with(LogContext.CLIENT_ID, client)))
			.defaultIfEmpty(Mono.defer(() -> chain.filter(exchange)))
			.flatMap((filtered) -> filtered);
	}

	static String clientId(Jwt token) {
		for (String claim : new String[] { "client_id", "azp" }) {
			String value = token.getClaimAsString(claim);
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return token.getSubject();
	}

	/**
	 * Right after Spring Security's filter chain (order -100, in its package-private
	 * {@code WebFluxSecurityConfiguration}), whose security context it reads.
	 */
	@Override
	public int getOrder() {
		return SECURITY_FILTER_CHAIN_ORDER + 1;
	}

	@Override
	public String toString() {
		return "ClientIdLogContext[client_id, azp, sub]";
	}

}
