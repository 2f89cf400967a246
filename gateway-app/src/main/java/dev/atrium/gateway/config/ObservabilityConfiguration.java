package dev.atrium.gateway.config;

import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.metrics.McpRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What watches the MCP traffic: metrics today, the audit trail next.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

	@Bean
	McpExchangeObserver mcpRequestMetrics(MeterRegistry registry) {
		return new McpRequestMetrics(registry);
	}

}
