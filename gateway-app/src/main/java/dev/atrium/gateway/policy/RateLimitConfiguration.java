package dev.atrium.gateway.policy;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.observability.logging.LogRedaction;
import dev.atrium.policy.ratelimit.LocalRateLimiter;
import dev.atrium.policy.ratelimit.Rate;
import dev.atrium.policy.ratelimit.RateLimiter;
import dev.atrium.policy.ratelimit.RateTier;
import dev.atrium.policy.ratelimit.RateTiers;
import dev.atrium.policy.ratelimit.RedisRateLimiter;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The rate tiers and the buckets: in this replica's memory, or in a Redis that every
 * replica shares when {@code atrium.rate-limits.redis-uri} is set.
 */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RateLimitConfiguration.class);

	@Bean
	RateTiers rateTiers(AtriumProperties properties) {
		Map<String, RateTier> configured = new LinkedHashMap<>();
		properties.rateLimits()
			.tiers()
			.forEach((name, rates) -> configured.put(name,
					new RateTier(name, rates.stream().map(Rate::parse).toList())));
		return RateTiers.seed().with(configured);
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnProperty("atrium.rate-limits.redis-uri")
	RedisClient rateLimitRedisClient() {
		return RedisClient.create();
	}

	@Bean
	RateLimiter rateLimiter(AtriumProperties properties, RateTiers tiers, Clock clock, MeterRegistry registry,
			@Qualifier("rateLimitRedisClient") ObjectProvider<RedisClient> redis) {
		AtriumProperties.RateLimits limits = properties.rateLimits();
		RedisClient client = redis.getIfAvailable();
		if (limits.redisUri() == null || client == null) {
			Duration longest = tiers.all()
				.values()
				.stream()
				.map(RateTier::longestPeriod)
				.max(Duration::compareTo)
				.orElse(Duration.ofDays(1));
			return new LocalRateLimiter(limits.maxLocalBuckets(), longest, clock);
		}
		Counter failures = Counter.builder("atrium.ratelimit.store.failures")
			.description("Requests whose rate limit the shared store did not answer for in time")
			.register(registry);
		logger.info("Rate limits shared through Redis {} (fail {})", LogRedaction.uri(limits.redisUri()),
				limits.failOpen() ? "open" : "closed");
		RedisRateLimiter limiter = new RedisRateLimiter(client, limits.redisUri().toString(), limits.timeout(),
				limits.failOpen(), (ex) -> failures.increment(), clock);
		limiter.connect()
			.subscribe(null, (ex) -> logger.warn("Redis {} is not reachable yet: {}",
					LogRedaction.uri(limits.redisUri()), ex.toString()));
		return limiter;
	}

}
