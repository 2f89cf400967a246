package dev.atrium.gateway.config;

import dev.atrium.mcp.client.CallerHeaders;
import dev.atrium.mcp.client.TargetCallGuard;
import dev.atrium.observability.tracing.ObservedTargetCalls;
import dev.atrium.observability.tracing.TraceContextHeaders;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;

/**
 * What tracing adds to the federation: a client span around each target call, and the
 * trace context in the headers targets receive. Without a propagator (tracing off), the
 * calls and headers are left as they are.
 *
 * @param registry where observations (and so spans) are made
 * @param propagator writes {@code traceparent}, or {@code null}
 */
public record FederationTracing(ObservationRegistry registry, Propagator propagator) {

	public TargetCallGuard observe(TargetCallGuard guard) {
		return (this.propagator != null) ? new ObservedTargetCalls(guard, this.registry) : guard;
	}

	public CallerHeaders withTraceContext(CallerHeaders headers) {
		return (this.propagator != null) ? new TraceContextHeaders(headers, this.propagator) : headers;
	}

}
