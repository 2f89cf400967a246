package dev.atrium.policy.resilience;

import java.time.Duration;

/**
 * When a target's circuit breaker opens and how it closes again. The breaker judges the
 * last {@code window} calls: it opens when {@code failureThreshold} of them failed, or
 * took longer than {@code slowCallDuration} to begin their answer; so with a window as
 * large as the threshold it opens after that many failures in a row.
 *
 * @param failureThreshold how many of the last {@code window} calls must fail to open it
 * @param window how many recent calls are judged; none before that many were made
 * @param openDuration how long an open breaker refuses calls before it lets probes
 * through
 * @param halfOpenCalls how many probes decide whether it closes or opens again
 * @param slowCallDuration a call whose answer begins later than this counts as slow
 */
public record BreakerSettings(int failureThreshold, int window, Duration openDuration, int halfOpenCalls,
		Duration slowCallDuration) {

	public BreakerSettings {
		Checks.positive("failureThreshold", failureThreshold);
		Checks.positive("window", window);
		if (window < failureThreshold) {
			throw new IllegalArgumentException(
					"window must be >= failureThreshold (" + failureThreshold + "), was " + window);
		}
		Checks.positive("openDuration", openDuration);
		Checks.positive("halfOpenCalls", halfOpenCalls);
		Checks.positive("slowCallDuration", slowCallDuration);
	}

	/**
	 * The share of judged calls, in percent, that opens the breaker; the breaker computes
	 * the failure rate with the same expression, so that exactly the threshold opens it.
	 */
	float failureRatePercent() {
		return this.failureThreshold * 100.0f / this.window;
	}

}
