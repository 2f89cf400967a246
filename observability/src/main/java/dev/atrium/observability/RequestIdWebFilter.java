package dev.atrium.observability;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.atrium.observability.logging.LogContext;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an id, {@code X-Request-Id}: the caller's when it is a plausible
 * id, a new UUID otherwise; and a correlation id, {@code X-Correlation-Id}: the caller's
 * when plausible, else the request id. Both are echoed on the answer, kept as exchange
 * attributes for the targets' context headers and audit, and put into the log context, so
 * that every log line written while the request is handled carries them.
 */
public final class RequestIdWebFilter implements WebFilter, Ordered {

	public static final String HEADER = "X-Request-Id";

	public static final String CORRELATION_HEADER = "X-Correlation-Id";

	/** Exchange attribute holding the request id. */
	public static final String ATTRIBUTE = RequestIdWebFilter.class.getName() + ".id";

	/** Exchange attribute holding the correlation id. */
	public static final String CORRELATION_ATTRIBUTE = RequestIdWebFilter.class.getName() + ".correlationId";

	/**
	 * Caller-supplied ids end up in logs: keep them short and free of control characters.
	 */
	private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		String id = plausible(headers.getFirst(HEADER)) ? headers.getFirst(HEADER) : UUID.randomUUID().toString();
		String correlationId = plausible(headers.getFirst(CORRELATION_HEADER)) ? headers.getFirst(CORRELATION_HEADER)
				: id;
		exchange.getAttributes().put(ATTRIBUTE, id);
		exchange.getAttributes().put(CORRELATION_ATTRIBUTE, correlationId);
		exchange.getResponse().getHeaders().set(HEADER, id);
		exchange.getResponse().getHeaders().set(CORRELATION_HEADER, correlationId);
		return chain.filter(exchange)
			.contextWrite(LogContext.with(Map.of(LogContext.REQUEST_ID, id, LogContext.CORRELATION_ID, correlationId)));
	}

	/** Whether a caller's id may be taken as it is. */
	public static boolean plausible(String id) {
		return id != null && PLAUSIBLE.matcher(id).matches();
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public String toString() {
		return "RequestId[header=" + HEADER + ", correlation=" + CORRELATION_HEADER + "]";
	}

}
