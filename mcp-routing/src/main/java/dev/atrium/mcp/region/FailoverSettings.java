package dev.atrium.mcp.region;

import java.time.Duration;
import java.util.Objects;

/**
 * When a target's calls move away from a region that still answers, but slowly.
 *
 * @param latencyThreshold a region whose calls take longer than this to begin their
 * answer, on a moving average, is passed over while another is faster
 * @param recheckAfter how long a slow region is passed over before a call is sent there
 * again to measure it
 */
public record FailoverSettings(Duration latencyThreshold, Duration recheckAfter) {

	/**
	 * The seed's {@code LatencyBasedFailover}: 1 s; a slow region is measured again after
	 * 30 s.
	 */
	public static final FailoverSettings DEFAULTS = new FailoverSettings(Duration.ofSeconds(1), Duration.ofSeconds(30));

	public FailoverSettings {
		Objects.requireNonNull(latencyThreshold, "latencyThreshold");
		Objects.requireNonNull(recheckAfter, "recheckAfter");
		if (latencyThreshold.isNegative() || latencyThreshold.isZero()) {
			throw new IllegalArgumentException("latencyThreshold must be > 0, was " + latencyThreshold);
		}
		if (recheckAfter.isNegative() || recheckAfter.isZero()) {
			throw new IllegalArgumentException("recheckAfter must be > 0, was " + recheckAfter);
		}
	}

}
