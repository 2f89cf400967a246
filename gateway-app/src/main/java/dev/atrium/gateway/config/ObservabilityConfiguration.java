package dev.atrium.gateway.config;

import java.util.ArrayList;
import java.util.List;

import dev.atrium.gateway.security.ClientIdLogContextWebFilter;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.logging.McpRequestLog;
import dev.atrium.observability.metrics.McpRequestMetrics;
import io.micrometer.core.instrument.MeterRegistry;

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
		all.addAll(others);
		return new McpExchangeObservers(all);
	}

	@Bean
	ClientIdLogContextWebFilter clientIdLogContextWebFilter() {
		return new ClientIdLogContextWebFilter();
	}

}
