package dev.atrium.gateway.config;

import dev.atrium.observability.RequestIdWebFilter;
import dev.atrium.policy.http.DnsRebindingProtectionWebFilter;
import dev.atrium.policy.http.McpPaths;
import dev.atrium.policy.http.RequestBodyLimitWebFilter;
import dev.atrium.policy.http.RequestBodyTimeoutWebFilter;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transport protections every MCP endpoint gets, pass-through routes included.
 */
@Configuration(proxyBeanMethods = false)
public class HttpProtectionConfiguration {

	@Bean
	RequestIdWebFilter requestIdWebFilter() {
		return new RequestIdWebFilter();
	}

	@Bean
	DnsRebindingProtectionWebFilter dnsRebindingProtectionWebFilter(AtriumProperties properties) {
		return new DnsRebindingProtectionWebFilter(properties.server().allowedHosts(),
				properties.server().allowedOrigins(), McpPaths.endpoints());
	}

	@Bean
	RequestBodyLimitWebFilter requestBodyLimitWebFilter(AtriumProperties properties) {
		return new RequestBodyLimitWebFilter(properties.server().maxRequestBody().toBytes(), McpPaths.endpoints());
	}

	@Bean
	RequestBodyTimeoutWebFilter requestBodyTimeoutWebFilter(AtriumProperties properties) {
		return new RequestBodyTimeoutWebFilter(properties.server().bodyReadTimeout(), McpPaths.endpoints(),
				Schedulers.parallel());
	}

}
