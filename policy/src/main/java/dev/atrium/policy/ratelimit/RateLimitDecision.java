package dev.atrium.policy.ratelimit;

import java.time.Duration;

/** What a rate limiter said of one request. */
public sealed interface RateLimitDecision {

	/**
	 * Admitted and counted.
	 *
	 * @param limit the tier's primary capacity
	 * @param remaining how many more requests would be admitted now
	 * @param reset how long until the bucket is full again
	 */
	record Admitted(long limit, long remaining, Duration reset) implements RateLimitDecision {

	}

	/**
	 * Refused: the bucket is empty.
	 *
	 * @param limit the tier's primary capacity
	 * @param reset how long until the bucket is full again
	 * @param retryAfter how long until one more request would be admitted
	 */
	record Refused(long limit, Duration reset, Duration retryAfter) implements RateLimitDecision {

	}

	/** Admitted without counting: the shared store did not answer and fails open. */
	record Unchecked() implements RateLimitDecision {

	}

	/** Refused without counting: the shared store did not answer and fails closed. */
	record Unavailable() implements RateLimitDecision {

	}

}
