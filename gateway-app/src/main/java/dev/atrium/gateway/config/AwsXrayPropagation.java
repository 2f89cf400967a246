package dev.atrium.gateway.config;

import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reads and writes {@code X-Amzn-Trace-Id}, the trace header of AWS X-Ray, next to W3C
 * {@code traceparent}: a request through an ALB or from an X-Ray instrumented caller
 * joins its trace, and targets on AWS (AgentCore Runtime among them) continue Atrium's.
 * Boot composes every propagator bean in order; this one reads first, so that a
 * {@code traceparent}, when a request carries both, is the one that counts.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "atrium.tracing.aws-xray", havingValue = "true", matchIfMissing = true)
public class AwsXrayPropagation {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	TextMapPropagator awsXrayPropagator() {
		return AwsXrayPropagator.getInstance();
	}

}
