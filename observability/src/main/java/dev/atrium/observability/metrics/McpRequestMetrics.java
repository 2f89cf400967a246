package dev.atrium.observability.metrics;

import java.time.Duration;
import java.util.Locale;

import dev.atrium.mcp.transport.McpExchangeObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code atrium.mcp.requests}: one timer sample per MCP message, by scenario, method,
 * target, tool and outcome, with the seed's latency targets as histogram boundaries so
 * that SLO alerts can read the share of requests under each.
 */
public final class McpRequestMetrics implements McpExchangeObserver {

	public static final String NAME = "atrium.mcp.requests";

	/**
	 * The seed's targets: gateway hop 50 ms; consumer 200 ms, enterprise 300 ms,
	 * third-party 400 ms, internal 500 ms end to end. One set for every series keeps the
	 * buckets of one metric alike.
	 */
	static final Duration[] SLO_BOUNDARIES = { Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(300),
			Duration.ofMillis(400), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
			Duration.ofSeconds(30) };

	private final MeterRegistry registry;

	public McpRequestMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void completed(Exchange exchange) {
		Timer.builder(NAME)
			.description("MCP messages handled, from arrival to the end of the answer")
			.tag("scenario", exchange.scenario())
			.tag("method", (exchange.method() != null) ? exchange.method() : "unreadable")
			.tag("target", (exchange.target() != null) ? exchange.target() : "atrium")
			.tag("tool", (exchange.routedName() != null) ? exchange.routedName() : "none")
			.tag("outcome", exchange.outcome().name().toLowerCase(Locale.ROOT))
			.serviceLevelObjectives(SLO_BOUNDARIES)
			.register(this.registry)
			.record(exchange.duration());
	}

}
