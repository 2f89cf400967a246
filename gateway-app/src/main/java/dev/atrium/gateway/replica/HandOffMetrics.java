package dev.atrium.gateway.replica;

import java.util.Locale;

import dev.atrium.mcp.transport.ResumptionHandOff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the resumptions handed to the replica that holds their stream,
 * {@code atrium.mcp.stream.handoffs}, by outcome: {@code relayed}, {@code unreachable},
 * {@code loop_refused}.
 */
final class HandOffMetrics implements ResumptionHandOff.Listener {

	static final String METER = "atrium.mcp.stream.handoffs";

	private final MeterRegistry registry;

	HandOffMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void handedOff(ResumptionHandOff.Result result) {
		Counter.builder(METER)
			.description("Resumptions of a stream another replica holds, handed to that replica")
			.tag("outcome", result.name().toLowerCase(Locale.ROOT))
			.register(this.registry)
			.increment();
	}

}
