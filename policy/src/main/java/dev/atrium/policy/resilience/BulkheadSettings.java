package dev.atrium.policy.resilience;

import java.time.Duration;

/**
 * How many calls a target is given at once.
 *
 * @param maxConcurrentCalls the most calls open at once, a streamed answer counting until
 * it ends
 * @param maxWait how long a call waits for a free place before it is refused; zero
 * refuses at once
 */
public record BulkheadSettings(int maxConcurrentCalls, Duration maxWait) {

	public BulkheadSettings {
		Checks.positive("maxConcurrentCalls", maxConcurrentCalls);
		Checks.notNegative("maxWait", maxWait);
	}

}
