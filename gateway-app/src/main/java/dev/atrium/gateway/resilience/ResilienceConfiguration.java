package dev.atrium.gateway.resilience;

import java.time.Clock;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.policy.resilience.ResilientTargetCalls;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Resilience per target: every call the federation routes to a target passes the target's
 * circuit breaker, bulkhead and retries, configured under {@code atrium.resilience} and
 * {@code atrium.targets.<name>.resilience}. Their state is published as the
 * {@code resilience4j.circuitbreaker.*} and {@code resilience4j.bulkhead.*} meters,
 * tagged with the target's name.
 */
@Configuration(proxyBeanMethods = false)
public class ResilienceConfiguration {

	@Bean
	ResilientTargetCalls targetCallGuard(AtriumProperties properties, Clock clock) {
		return new ResilientTargetCalls((target) -> properties.resilienceOf(target).settings(), clock);
	}

	/** Boot binds every meter binder to the application's registry. */
	@Bean
	TaggedCircuitBreakerMetrics targetCircuitBreakerMetrics(ResilientTargetCalls calls) {
		return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(calls.circuitBreakers());
	}

	@Bean
	BreakerTransitionMetrics targetBreakerTransitionMetrics(ResilientTargetCalls calls) {
		return new BreakerTransitionMetrics(calls.circuitBreakers());
	}

	@Bean
	TaggedBulkheadMetrics targetBulkheadMetrics(ResilientTargetCalls calls) {
		return TaggedBulkheadMetrics.ofBulkheadRegistry(calls.bulkheads());
	}

}
