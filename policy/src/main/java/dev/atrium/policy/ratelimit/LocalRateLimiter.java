package dev.atrium.policy.ratelimit;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import reactor.core.publisher.Mono;

/**
 * Buckets in this replica's memory: exact for one replica, per replica for several. A
 * bucket nobody used for longer than the longest period is full again and is dropped.
 */
public final class LocalRateLimiter implements RateLimiter {

	private final Cache<String, Bucket> buckets;

	private final TimeMeter time;

	/**
	 * @param maxBuckets how many buckets are kept at most; beyond that the least recently
	 * used go, which can only admit more, never less
	 * @param idleExpiry how long an unused bucket is kept: the longest period of any tier
	 * @param clock the time
	 */
	public LocalRateLimiter(long maxBuckets, Duration idleExpiry, Clock clock) {
		this.time = Buckets.timeMeter(clock);
		this.buckets = Caffeine.newBuilder()
			.maximumSize(maxBuckets)
			.expireAfterAccess(idleExpiry)
			.ticker(() -> this.time.currentTimeNanos())
			.build();
	}

	@Override
	public Mono<RateLimitDecision> consume(String key, RateTier tier) {
		return Mono.fromSupplier(() -> {
			Bucket bucket = this.buckets.get(key + "|" + tier.name(), (ignored) -> newBucket(tier));
			return Buckets.decision(tier, bucket.tryConsumeAndReturnRemaining(1));
		});
	}

	private Bucket newBucket(RateTier tier) {
		var builder = Bucket.builder().withCustomTimePrecision(this.time);
		for (Bandwidth bandwidth : Buckets.configuration(tier).getBandwidths()) {
			builder.addLimit(bandwidth);
		}
		return builder.build();
	}

	@Override
	public String toString() {
		return "LocalRateLimiter[buckets=" + this.buckets.estimatedSize() + "]";
	}

}
