package dev.atrium.gateway.config;

import java.util.ArrayList;
import java.util.List;

import dev.atrium.gateway.security.ClientIdLogContextWebFilter;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.logging.McpRequestLog;
import dev.atrium.observability.metrics.McpRequestMetrics;
import dev.atrium.observability.tracing.McpServerSpanNames;
import dev.atrium.observability.tracing.McpSpanAttributes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What watches the MCP traffic: the metrics, one log line per message, and every other
 * observer (the audit trail) the context holds, all told of each exchange; and the
 * caller's client id in the log context of every request.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

	@Bean
	@Primary
	McpExchangeObserver mcpExchangeObservers(MeterRegistry registry, List<McpExchangeObserver> others) {
		List<McpExchangeObserver> all = new ArrayList<>();
		all.add(new McpRequestMetrics(registry));
		all.add(new McpRequestLog());
		all.add(new McpSpanAttributes());
		all.addAll(others);
		return new McpExchangeObservers(all);
	}

	@Bean
	McpServerSpanNames mcpServerSpanNames() {
		return new McpServerSpanNames();
	}

	@Bean
	FederationTracing federationTracing(ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<Propagator> propagator) {
		return new FederationTracing(registry.getIfAvailable(() -> ObservationRegistry.NOOP),
				propagator.getIfAvailable());
	}

	@Bean
	ClientIdLogContextWebFilter clientIdLogContextWebFilter() {
		return new ClientIdLogContextWebFilter();
	}

}
