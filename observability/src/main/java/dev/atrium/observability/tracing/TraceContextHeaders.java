package dev.atrium.observability.tracing;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.mcp.client.CallerHeaders;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import reactor.core.publisher.Mono;

/**
 * Adds the current span's trace context ({@code traceparent}, W3C) to the headers a
 * target receives, so that its spans join the caller's trace.
 */
public final class TraceContextHeaders implements CallerHeaders {

	private final CallerHeaders headers;

	private final Propagator propagator;

	public TraceContextHeaders(CallerHeaders headers, Propagator propagator) {
		this.headers = headers;
		this.propagator = propagator;
	}

	@Override
	public Mono<Map<String, String>> forTarget(String target) {
		return Mono.deferContextual((context) -> {
			Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Span span = spanOf(observation);
			Mono<Map<String, String>> caller = this.headers.forTarget(target).defaultIfEmpty(Map.of());
			if (span == null) {
				return caller.filter((found) -> !found.isEmpty());
			}
			return caller.map((found) -> {
				Map<String, String> all = new LinkedHashMap<>(found);
				this.propagator.inject(span.context(), all, Map::put);
				return all;
			});
		});
	}

	private static Span spanOf(Observation observation) {
		if (observation == null || observation.isNoop()) {
			return null;
		}
		TracingObservationHandler.TracingContext tracing = observation.getContext()
			.get(TracingObservationHandler.TracingContext.class);
		return (tracing != null) ? tracing.getSpan() : null;
	}

	@Override
	public String toString() {
		return "TraceContextHeaders[" + this.headers + "]";
	}

}
