package dev.atrium.policy.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/** Bucket4j's vocabulary for Atrium's rates. */
final class Buckets {

	private Buckets() {
	}

	/** Greedy refill: tokens come back smoothly, not all at once at a window's end. */
	static BucketConfiguration configuration(RateTier tier) {
		var builder = BucketConfiguration.builder();
		tier.rates()
			.forEach((rate) -> builder.addLimit(Bandwidth.builder()
				.capacity(rate.capacity())
				.refillGreedy(rate.capacity(), rate.period())
				.build()));
		return builder.build();
	}

	static RateLimitDecision decision(RateTier tier, ConsumptionProbe probe) {
		long limit = tier.primary().capacity();
		Duration reset = Duration.ofNanos(probe.getNanosToWaitForReset());
		if (probe.isConsumed()) {
			return new RateLimitDecision.Admitted(limit, probe.getRemainingTokens(), reset);
		}
		return new RateLimitDecision.Refused(limit, reset, Duration.ofNanos(probe.getNanosToWaitForRefill()));
	}

	/**
	 * Bucket time from the injected clock, so that tests move time instead of waiting.
	 */
	static TimeMeter timeMeter(Clock clock) {
		return new TimeMeter() {

			@Override
			public long currentTimeNanos() {
				Instant now = clock.instant();
				return now.getEpochSecond() * 1_000_000_000L + now.getNano();
			}

			@Override
			public boolean isWallClockBased() {
				return true;
			}

		};
	}

}
