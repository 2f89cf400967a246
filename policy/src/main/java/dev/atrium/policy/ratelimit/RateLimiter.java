package dev.atrium.policy.ratelimit;

import reactor.core.publisher.Mono;

/** Token buckets by key: where they live (this replica, or Redis for all) is its own. */
public interface RateLimiter {

	/**
	 * Takes one request from a bucket, creating it full on first use.
	 * @param key whose bucket, e.g. {@code third-party|client|chatgpt-42}
	 * @param tier the rates the bucket enforces
	 */
	Mono<RateLimitDecision> consume(String key, RateTier tier);

}
