package dev.atrium.observability.logging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import reactor.util.context.Context;

/**
 * The ids a request's log lines carry, as MDC entries. A request keeps them in its
 * Reactor context; Reactor's automatic context propagation
 * ({@code spring.reactor.context-propagation=auto}) puts them into the MDC of whichever
 * thread handles the request at the moment, and takes them out again afterwards.
 */
public final class LogContext {

	/** The request id ({@code X-Request-Id}). */
	public static final String REQUEST_ID = "request_id";

	/**
	 * The correlation id ({@code X-Correlation-Id}): the caller's, else the request id.
	 */
	public static final String CORRELATION_ID = "correlation_id";

	/** The authenticated caller's client id, from the verified token. */
	public static final String CLIENT_ID = "client_id";

	static final List<String> KEYS = List.of(REQUEST_ID, CORRELATION_ID, CLIENT_ID);

	static {
		// Registered once, before any request can carry ids: whatever writes them loads
		// this class first.
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(KEYS.toArray(String[]::new)));
	}

	private LogContext() {
	}

	/**
	 * Adds entries to the log context of a Reactor context, keeping the entries it holds.
	 * @param entries names among {@link #REQUEST_ID}, {@link #CORRELATION_ID} and
	 * {@link #CLIENT_ID}, and their values
	 * @return a function for {@code contextWrite}
	 */
	public static Function<Context, Context> with(Map<String, String> entries) {
		for (String key : entries.keySet()) {
			if (!KEYS.contains(key)) {
				throw new IllegalArgumentException("log context keys are " + KEYS + ", was " + key);
			}
		}
		return (context) -> {
			Map<String, String> merged = new HashMap<>();
			// Captured from a thread's MDC (e.g. by block()), absent keys are null.
			Map<String, String> held = context.getOrDefault(Slf4jThreadLocalAccessor.KEY, Map.of());
			held.forEach((key, value) -> {
				if (value != null) {
					merged.put(key, value);
				}
			});
			merged.putAll(entries);
			return context.put(Slf4jThreadLocalAccessor.KEY, Map.copyOf(merged));
		};
	}

	/** One entry: see {@link #with(Map)}. */
	public static Function<Context, Context> with(String key, String value) {
		return with(Map.of(key, value));
	}

}
