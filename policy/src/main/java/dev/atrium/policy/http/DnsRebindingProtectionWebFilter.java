package dev.atrium.policy.http;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Validates {@code Host} and {@code Origin} on MCP endpoints, as the streamable HTTP
 * transport requires against DNS rebinding: a host not served gets 421 Misdirected
 * Request, a browser origin not allowed gets 403. Requests without {@code Origin} (every
 * non-browser client) pass the origin check.
 */
public final class DnsRebindingProtectionWebFilter implements WebFilter, Ordered {

	/** Before everything else that reads the request. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final List<Pattern> allowedHosts;

	private final List<Pattern> allowedOrigins;

	private final boolean anyHost;

	private final Predicate<String> protectedPaths;

	private final List<String> hostConfig;

	private final List<String> originConfig;

	/**
	 * Computed once: Spring's filter chain asks for it on every request (it names the
	 * checkpoint of each filter).
	 */
	private final String description;

	/**
	 * @param allowedHosts hosts served, as {@code host} (any port) or {@code host:port};
	 * {@code *} for any host
	 * @param allowedOrigins origins allowed, e.g. {@code https://app.example.com} or
	 * {@code http://localhost:*}; {@code *} matches within a label or port
	 * @param protectedPaths the paths the checks apply to
	 */
	public DnsRebindingProtectionWebFilter(List<String> allowedHosts, List<String> allowedOrigins,
			Predicate<String> protectedPaths) {
		this.hostConfig = List.copyOf(allowedHosts);
		this.originConfig = List.copyOf(allowedOrigins);
		this.anyHost = allowedHosts.contains("*");
		this.allowedHosts = allowedHosts.stream().map(DnsRebindingProtectionWebFilter::hostPattern).toList();
		this.allowedOrigins = allowedOrigins.stream().map(DnsRebindingProtectionWebFilter::wildcardPattern).toList();
		this.protectedPaths = protectedPaths;
		this.description = "DnsRebindingProtection[hosts=" + this.hostConfig + ", origins=" + this.originConfig + "]";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.protectedPaths.test(exchange.getRequest().getPath().value())) {
			return chain.filter(exchange);
		}
		String host = exchange.getRequest().getHeaders().getFirst(HttpHeaders.HOST);
		if (!this.anyHost && (host == null || !matchesAny(this.allowedHosts, host.toLowerCase(Locale.ROOT)))) {
			return JsonRpcErrorBodies.refuse(exchange, "host_not_allowed", HttpStatus.MISDIRECTED_REQUEST,
					"Misdirected Request: host '" + host + "' is not served here");
		}
		String origin = exchange.getRequest().getHeaders().getOrigin();
		if (origin != null && !matchesAny(this.allowedOrigins, origin.toLowerCase(Locale.ROOT))) {
			return JsonRpcErrorBodies.refuse(exchange, "origin_not_allowed", HttpStatus.FORBIDDEN,
					"Forbidden: origin '" + origin + "' is not allowed");
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	private static boolean matchesAny(List<Pattern> patterns, String value) {
		return patterns.stream().anyMatch((pattern) -> pattern.matcher(value).matches());
	}

	/** A host without a port allows every port. */
	private static Pattern hostPattern(String host) {
		boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
		Pattern base = wildcardPattern(host);
		return hasPort ? base : Pattern.compile(base.pattern() + "(:[0-9]+)?");
	}

	private static Pattern wildcardPattern(String value) {
		String[] parts = value.toLowerCase(Locale.ROOT).split("\\*", -1);
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < parts.length; i++) {
			regex.append(Pattern.quote(parts[i]));
			if (i < parts.length - 1) {
				regex.append("[^./:]*");
			}
		}
		return Pattern.compile(regex.toString());
	}

	@Override
	public String toString() {
		return this.description;
	}

}
