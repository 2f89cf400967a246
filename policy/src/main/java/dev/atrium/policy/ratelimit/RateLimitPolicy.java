package dev.atrium.policy.ratelimit;

import java.time.Duration;
import java.util.List;

import dev.atrium.policy.caller.CallerIdentity;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies a scenario's rate limits to one request: every bucket it belongs to must admit
 * it. The answer to report is the first refusal, else the caller's own bucket.
 */
public final class RateLimitPolicy {

	private final ScenarioRateLimit limits;

	private final RateLimiter limiter;

	public RateLimitPolicy(ScenarioRateLimit limits, RateLimiter limiter) {
		this.limits = limits;
		this.limiter = limiter;
	}

	/** Empty when no limit applies to the request. */
	public Mono<Outcome> consume(CallerIdentity caller, String tool) {
		List<RateBucket> buckets = this.limits.buckets(caller, tool);
		if (buckets.isEmpty()) {
			return Mono.empty();
		}
		return Flux.fromIterable(buckets)
			.concatMap((bucket) -> this.limiter.consume(bucket.key(), bucket.tier())
				.map((decision) -> new Outcome(bucket, decision)))
			// Stop at the first refusal: later buckets are not charged for a request
			// that is not served.
			.takeUntil((outcome) -> !outcome.admitted())
			.reduce((first, next) -> next.admitted() ? first : next);
	}

	@Override
	public String toString() {
		return "RateLimitPolicy[" + this.limits.scenario() + ", tier=" + this.limits.tier() + ", key="
				+ this.limits.key() + "]";
	}

	/**
	 * What one request met.
	 *
	 * @param bucket the bucket that decided (the caller's, or the one that refused)
	 * @param decision its decision
	 */
	public record Outcome(RateBucket bucket, RateLimitDecision decision) {

		public boolean admitted() {
			return this.decision instanceof RateLimitDecision.Admitted
					|| this.decision instanceof RateLimitDecision.Unchecked;
		}

		/** Whole seconds, at least one, as {@code Retry-After} and reset headers want. */
		public static long seconds(Duration duration) {
			long seconds = (duration.toMillis() + 999) / 1000;
			return Math.max(1, seconds);
		}

	}

}
