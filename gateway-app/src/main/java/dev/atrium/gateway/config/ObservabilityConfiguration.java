package dev.atrium.gateway.config;

import dev.atrium.gateway.security.ClientIdLogContextWebFilter;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.logging.McpRequestLog;
import dev.atrium.observability.metrics.McpRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What watches the MCP traffic: metrics and one log line per message today, the audit
 * trail next; and the caller's client id in the log context of every request.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration {

	@Bean
	McpExchangeObserver mcpExchangeObserver(MeterRegistry registry) {
		return new McpRequestMetrics(registry).andThen(new McpRequestLog());
	}

	@Bean
	ClientIdLogContextWebFilter clientIdLogContextWebFilter() {
		return new ClientIdLogContextWebFilter();
	}

}
