package dev.atrium.observability;

import java.util.UUID;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an id, {@code X-Request-Id}: the caller's when it is a plausible
 * id, a new UUID otherwise. The id is echoed on the answer and kept as an exchange
 * attribute for logs and audit.
 */
public final class RequestIdWebFilter implements WebFilter, Ordered {

	public static final String HEADER = "X-Request-Id";

	/** Exchange attribute holding the request id. */
	public static final String ATTRIBUTE = RequestIdWebFilter.class.getName() + ".id";

	/**
	 * Caller-supplied ids end up in logs: keep them short and free of control characters.
	 */
	private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String supplied = exchange.getRequest().getHeaders().getFirst(HEADER);
		String id = (supplied != null && PLAUSIBLE.matcher(supplied).matches()) ? supplied
				: UUID.randomUUID().toString();
		exchange.getAttributes().put(ATTRIBUTE, id);
		exchange.getResponse().getHeaders().set(HEADER, id);
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public String toString() {
		return "RequestId[header=" + HEADER + "]";
	}

}
