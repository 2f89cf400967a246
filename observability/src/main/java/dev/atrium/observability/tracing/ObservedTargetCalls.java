package dev.atrium.observability.tracing;

import java.util.function.Supplier;

import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.TargetCallGuard;
import dev.atrium.mcp.client.UpstreamReply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

/**
 * A client span per call to a target, around everything the call goes through (breaker,
 * retries, the answer's stream to its end), child of the MCP request's server span. The
 * span is the current observation while the call is made, so that its trace context is
 * what the target receives.
 */
public final class ObservedTargetCalls implements TargetCallGuard {

	private final TargetCallGuard guard;

	private final ObservationRegistry registry;

	public ObservedTargetCalls(TargetCallGuard guard, ObservationRegistry registry) {
		this.guard = guard;
		this.registry = registry;
	}

	@Override
	public Mono<UpstreamReply> guard(TargetCall call, Supplier<Mono<UpstreamReply>> upstream) {
		return Mono.deferContextual((context) -> {
			Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Observation observation = Observation.createNotStarted("atrium.mcp.client", this.registry)
				.contextualName(call.method() + " " + call.target())
				.lowCardinalityKeyValue(McpSpanAttributes.METHOD, call.method())
				.lowCardinalityKeyValue(McpSpanAttributes.TARGET, call.target())
				.lowCardinalityKeyValue("span.kind", "client")
				.parentObservation(parent)
				.start();
			return this.guard.guard(call, upstream)
				.map((reply) -> new UpstreamReply(reply.streamed(),
						reply.messages().doOnError(observation::error).doFinally((signal) -> observation.stop())))
				.doOnError((ex) -> {
					observation.error(ex);
					observation.stop();
				})
				.doOnCancel(observation::stop)
				.contextWrite((written) -> written.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	@Override
	public String toString() {
		return "ObservedTargetCalls[" + this.guard + "]";
	}

}
