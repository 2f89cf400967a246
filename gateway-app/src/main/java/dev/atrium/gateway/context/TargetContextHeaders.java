package dev.atrium.gateway.context;

import java.util.Map;
import java.util.UUID;

import dev.atrium.mcp.client.CallerHeaders;
import dev.atrium.observability.RequestIdWebFilter;
import dev.atrium.sts.context.CallerContext;
import dev.atrium.sts.context.ContextHeaders;
import dev.atrium.sts.context.TargetTokens;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.server.ServerWebExchange;

/**
 * What a target learns of the caller, for each request sent on a caller's behalf: the
 * context headers built from the verified token (never from the client's headers), or a
 * token the STS mints for that target alone; and the request and correlation ids.
 * Requests without a caller (catalog reads) get none.
 */
public final class TargetContextHeaders implements CallerHeaders {

	private final ContextHeaders headers;

	private final TargetTokens tokens;

	private final Map<String, String> tokenAudiences;

	/**
	 * @param headers the context headers
	 * @param tokens mints tokens for targets that take them
	 * @param tokenAudiences the targets that take a token instead of context headers, and
	 * their audiences
	 */
	public TargetContextHeaders(ContextHeaders headers, TargetTokens tokens, Map<String, String> tokenAudiences) {
		this.headers = headers;
		this.tokens = tokens;
		this.tokenAudiences = Map.copyOf(tokenAudiences);
	}

	@Override
	public Mono<Map<String, String>> forTarget(String target) {
		return Mono.deferContextual((context) -> {
			ServerWebExchange exchange = context.getOrDefault(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE,
					null);
			if (exchange == null) {
				return Mono.empty();
			}
			String attribute = exchange.getAttribute(RequestIdWebFilter.ATTRIBUTE);
			String requestId = (attribute != null) ? attribute : UUID.randomUUID().toString();
			String correlationId = correlationId(exchange, requestId);
			Map<String, String> ids = Map.of(ContextHeaders.REQUEST_ID, requestId, ContextHeaders.CORRELATION_ID,
					correlationId);
			return ReactiveSecurityContextHolder.getContext()
				.map(SecurityContext::getAuthentication)
				.filter(JwtAuthenticationToken.class::isInstance)
				.map((authentication) -> forCaller(target, ((JwtAuthenticationToken) authentication).getToken(),
						requestId, correlationId))
				.defaultIfEmpty(ids);
		});
	}

	private Map<String, String> forCaller(String target, Jwt token, String requestId, String correlationId) {
		String audience = this.tokenAudiences.get(target);
		if (audience == null) {
			return this.headers.forTarget(target, CallerContext.of(token.getClaims()), requestId, correlationId);
		}
		return Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + this.tokens.mint(token.getClaims(), audience),
				ContextHeaders.REQUEST_ID, requestId, ContextHeaders.CORRELATION_ID, correlationId);
	}

	/**
	 * The correlation id the request got (the caller's when plausible, else the request
	 * id), the one its log lines carry.
	 */
	private static String correlationId(ServerWebExchange exchange, String requestId) {
		String known = exchange.getAttribute(RequestIdWebFilter.CORRELATION_ATTRIBUTE);
		if (known != null) {
			return known;
		}
		String supplied = exchange.getRequest().getHeaders().getFirst(ContextHeaders.CORRELATION_ID);
		return RequestIdWebFilter.plausible(supplied) ? supplied : requestId;
	}

}
