package dev.atrium.policy.resilience;

/**
 * Everything that guards the calls to one target.
 *
 * @param breaker when the target's circuit breaker opens and closes
 * @param bulkhead how many calls the target is given at once
 * @param retry how idempotent calls are tried again
 */
public record ResilienceSettings(BreakerSettings breaker, BulkheadSettings bulkhead, RetrySettings retry) {

	public ResilienceSettings {
		Checks.notNull("breaker", breaker);
		Checks.notNull("bulkhead", bulkhead);
		Checks.notNull("retry", retry);
	}

}
