package dev.atrium.policy.resilience;

import java.time.Duration;

/**
 * How idempotent calls are tried again after a failure before their answer began.
 *
 * @param maxAttempts the most attempts of one call, the first included; 1 never retries
 * @param backoff the waits between attempts
 * @param budget how many retries a target may get, in proportion to its calls
 */
public record RetrySettings(int maxAttempts, Backoff backoff, Budget budget) {

	public RetrySettings {
		Checks.positive("maxAttempts", maxAttempts);
		Checks.notNull("backoff", backoff);
		Checks.notNull("budget", budget);
	}

	/**
	 * Exponential waits with jitter.
	 *
	 * @param initial the wait before the first retry
	 * @param max the longest wait
	 * @param multiplier what each wait is multiplied by for the next
	 * @param jitter how far, as a share of it, a wait is moved at random either way, so
	 * that clients failed together do not retry together
	 */
	public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

		public Backoff {
			if (initial == null || initial.toMillis() < 1) {
				throw new IllegalArgumentException("initial must be >= 1ms, was " + initial);
			}
			if (max == null || max.compareTo(initial) < 0) {
				throw new IllegalArgumentException("max must be >= initial (" + initial + "), was " + max);
			}
			if (!(multiplier >= 1.0)) {
				throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
			}
			if (!(jitter >= 0.0 && jitter < 1.0)) {
				throw new IllegalArgumentException("jitter must be >= 0 and < 1, was " + jitter);
			}
		}

	}

	/**
	 * A cap on retries, so that retries cannot multiply the load on a target that is
	 * already failing.
	 *
	 * @param ratio retries allowed per call made, over the window (0.2: retries add at
	 * most a fifth)
	 * @param window the time over which calls and retries are counted
	 * @param minRetries retries allowed in a window whatever the traffic, so that a quiet
	 * target still gets some
	 */
	public record Budget(double ratio, Duration window, int minRetries) {

		public Budget {
			if (!(ratio >= 0.0 && ratio <= 1.0)) {
				throw new IllegalArgumentException("ratio must be >= 0 and <= 1, was " + ratio);
			}
			Checks.positive("window", window);
			if (minRetries < 0) {
				throw new IllegalArgumentException("minRetries must be >= 0, was " + minRetries);
			}
		}

	}

}
