package dev.atrium.gateway.config;

import java.util.ArrayList;
import java.util.List;

import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.metrics.McpRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Configuration;

/**
 * What watches the MCP traffic: the metrics, and every other observer (the audit trail)
 * the context holds, all told of each exchange.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

	@Bean
	@Primary
	McpExchangeObserver mcpExchangeObservers(MeterRegistry registry, List<McpExchangeObserver> others) {
		List<McpExchangeObserver> all = new ArrayList<>();
		all.add(new McpRequestMetrics(registry));
		all.addAll(others);
		return new McpExchangeObservers(all);
	}

}
