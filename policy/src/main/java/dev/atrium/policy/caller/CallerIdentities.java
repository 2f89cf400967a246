package dev.atrium.policy.caller;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.atrium.policy.auth.ScopeAuthoritiesConverter;
import dev.atrium.policy.tenant.TenantClaims;
import reactor.core.publisher.Mono;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the caller's identity from the verified token in the security context, once per
 * exchange.
 */
public final class CallerIdentities {

	private static final String ATTRIBUTE = CallerIdentities.class.getName();

	/**
	 * Exchange attribute holding the verified token's claims, for the audit trail: what
	 * the policies decided on, read once.
	 */
	public static final String CLAIMS_ATTRIBUTE = CallerIdentities.class.getName() + ".claims";

	private final TenantClaims tenantClaims;

	public CallerIdentities(TenantClaims tenantClaims) {
		this.tenantClaims = tenantClaims;
	}

	/** The identity as policies saw it, when they read it for this exchange. */
	public static CallerIdentity known(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

	public Mono<CallerIdentity> of(ServerWebExchange exchange) {
		CallerIdentity known = exchange.getAttribute(ATTRIBUTE);
		if (known != null) {
			return Mono.just(known);
		}
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter(Authentication::isAuthenticated)
			.ofType(JwtAuthenticationToken.class)
			.map((authentication) -> {
				exchange.getAttributes().put(CLAIMS_ATTRIBUTE, authentication.getToken().getClaims());
				return identity(authentication, address(exchange));
			})
			.defaultIfEmpty(CallerIdentity.anonymous(address(exchange)))
			.doOnNext((identity) -> exchange.getAttributes().put(ATTRIBUTE, identity));
	}

	private CallerIdentity identity(JwtAuthenticationToken authentication, String address) {
		Jwt token = authentication.getToken();
		Map<String, Object> claims = token.getClaims();
		String client = token.getClaimAsString("client_id");
		if (client == null) {
			client = token.getClaimAsString("azp");
		}
		return new CallerIdentity(token.getClaimAsString("iss"), token.getSubject(), client,
				this.tenantClaims.tenant(claims), scopes(authentication), token.getClaimAsString("rate_tier"), address);
	}

	/** The scopes of an authentication, without the {@code SCOPE_} prefix. */
	public static Set<String> scopes(Authentication authentication) {
		return authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority.startsWith(ScopeAuthoritiesConverter.PREFIX))
			.map((authority) -> authority.substring(ScopeAuthoritiesConverter.PREFIX.length()))
			.collect(Collectors.toUnmodifiableSet());
	}

	private static String address(ServerWebExchange exchange) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "unknown";
	}

	@Override
	public String toString() {
		return "CallerIdentities[" + this.tenantClaims + "]";
	}

}
