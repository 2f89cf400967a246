package dev.atrium.gateway.config;

import java.time.Duration;
import java.util.function.BinaryOperator;

import dev.atrium.policy.resilience.BreakerSettings;
import dev.atrium.policy.resilience.BulkheadSettings;
import dev.atrium.policy.resilience.ResilienceSettings;
import dev.atrium.policy.resilience.RetrySettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * How calls to targets are guarded: under {@code atrium.resilience} for every target,
 * under {@code atrium.targets.<name>.resilience} for one. A value a target does not set
 * comes from {@code atrium.resilience}, and one not set there from {@link #DEFAULTS},
 * which are the seed's {@code circuit_breaker} block.
 *
 * @param circuitBreaker when a target's circuit breaker opens and closes
 * @param bulkhead how many calls a target is given at once
 * @param timeouts how long a target may keep a call waiting
 * @param retry how idempotent calls are tried again
 */
public record ResilienceProperties(@Valid CircuitBreaker circuitBreaker, @Valid Bulkhead bulkhead,
		@Valid Timeouts timeouts, @Valid Retry retry) {

	/** Every value, from the seed where it has one. */
	public static final ResilienceProperties DEFAULTS = new ResilienceProperties(
			new CircuitBreaker(5, null, Duration.ofSeconds(60), 1, Duration.ofSeconds(30)),
			new Bulkhead(100, Duration.ZERO), new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5)),
			new Retry(3, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.5),
					new Budget(0.2, Duration.ofSeconds(10), 5)));

	/** These values, with every value the other sets in its place. */
	public ResilienceProperties overriddenBy(ResilienceProperties other) {
		if (other == null) {
			return this;
		}
		return new ResilienceProperties(merge(this.circuitBreaker, other.circuitBreaker, CircuitBreaker::overriddenBy),
				merge(this.bulkhead, other.bulkhead, Bulkhead::overriddenBy),
				merge(this.timeouts, other.timeouts, Timeouts::overriddenBy),
				merge(this.retry, other.retry, Retry::overriddenBy));
	}

	/**
	 * The settings of the policies; every value must be set.
	 * @throws IllegalArgumentException naming a value that does not fit with another
	 */
	public ResilienceSettings settings() {
		CircuitBreaker breaker = this.circuitBreaker;
		int window = (breaker.window() != null) ? breaker.window() : breaker.failureThreshold();
		return new ResilienceSettings(
				new BreakerSettings(breaker.failureThreshold(), window, breaker.openDuration(), breaker.halfOpenCalls(),
						breaker.slowCallDuration()),
				new BulkheadSettings(this.bulkhead.maxConcurrentCalls(), this.bulkhead.maxWait()),
				new RetrySettings(this.retry.maxAttempts(),
						new RetrySettings.Backoff(this.retry.backoff().initial(), this.retry.backoff().max(),
								this.retry.backoff().multiplier(), this.retry.backoff().jitter()),
						new RetrySettings.Budget(this.retry.budget().ratio(), this.retry.budget().window(),
								this.retry.budget().minRetries())));
	}

	private static <T> T merge(T base, T override, BinaryOperator<T> merger) {
		if (override == null) {
			return base;
		}
		return (base != null) ? merger.apply(base, override) : override;
	}

	private static <T> T pick(T base, T override) {
		return (override != null) ? override : base;
	}

	/**
	 * When a target's circuit breaker opens and closes. It judges the last {@code window}
	 * calls, and opens when {@code failure-threshold} of them failed or were slow.
	 *
	 * @param failureThreshold how many failed calls among the last {@code window} open
	 * the breaker; a failure is a connection that fails, a time limit reached, an HTTP
	 * 5xx, 408 or 429, or an answer that is not MCP
	 * @param window how many of the latest calls are judged, at least
	 * {@code failure-threshold}; the breaker opens only once that many were made; unset:
	 * {@code failure-threshold}, so that it opens after that many failures in a row
	 * @param openDuration how long an open breaker refuses calls, without calling the
	 * target, before it lets trial calls through
	 * @param halfOpenCalls how many trial calls decide whether the breaker closes again
	 * @param slowCallDuration a call whose answer begins later than this counts as slow,
	 * and slow calls open the breaker as failures do
	 */
	public record CircuitBreaker(@Min(1) @Max(1000) Integer failureThreshold, @Min(1) @Max(1000) Integer window,
			@DurationMin(millis = 1) Duration openDuration, @Min(1) @Max(100) Integer halfOpenCalls,
			@DurationMin(millis = 1) Duration slowCallDuration) {

		CircuitBreaker overriddenBy(CircuitBreaker other) {
			return new CircuitBreaker(pick(this.failureThreshold, other.failureThreshold),
					pick(this.window, other.window), pick(this.openDuration, other.openDuration),
					pick(this.halfOpenCalls, other.halfOpenCalls), pick(this.slowCallDuration, other.slowCallDuration));
		}

	}

	/**
	 * How many calls a target is given at once.
	 *
	 * @param maxConcurrentCalls the most calls open at once, an answer that streams
	 * counting until it ends; one more is refused with an error naming the target
	 * @param maxWait how long a call may wait for a free place before it is refused;
	 * {@code 0} refuses at once
	 */
	public record Bulkhead(@Min(1) Integer maxConcurrentCalls, @DurationMin(millis = 0) Duration maxWait) {

		Bulkhead overriddenBy(Bulkhead other) {
			return new Bulkhead(pick(this.maxConcurrentCalls, other.maxConcurrentCalls),
					pick(this.maxWait, other.maxWait));
		}

	}

	/**
	 * How long a target may keep a call waiting. Nothing limits a whole answer: a stream
	 * that keeps sending events (progress notifications, say) runs as long as it needs.
	 *
	 * @param firstByte longest wait from sending a request to the beginning of the answer
	 * @param idle longest silence once an answer has begun: between the events of a
	 * stream, or before the body of a JSON answer; a stream silent for longer is ended
	 * with an error naming the target
	 */
	public record Timeouts(@DurationMin(millis = 1) Duration firstByte, @DurationMin(millis = 1) Duration idle) {

		Timeouts overriddenBy(Timeouts other) {
			return new Timeouts(pick(this.firstByte, other.firstByte), pick(this.idle, other.idle));
		}

	}

	/**
	 * How idempotent calls (resource reads, prompt gets, and tools annotated
	 * {@code idempotentHint} or {@code readOnlyHint}) are tried again after a failure
	 * before their answer began: a connection that fails, no first byte in time, or HTTP
	 * 500, 502, 503 or 504. Other calls are never tried again.
	 *
	 * @param maxAttempts the most attempts of one call, the first included; {@code 1}
	 * never retries
	 * @param backoff the waits between attempts
	 * @param budget the cap on retries per target
	 */
	public record Retry(@Min(1) @Max(10) Integer maxAttempts, @Valid Backoff backoff, @Valid Budget budget) {

		Retry overriddenBy(Retry other) {
			return new Retry(pick(this.maxAttempts, other.maxAttempts),
					merge(this.backoff, other.backoff, Backoff::overriddenBy),
					merge(this.budget, other.budget, Budget::overriddenBy));
		}

	}

	/**
	 * Exponential waits between attempts, with jitter.
	 *
	 * @param initial the wait before the first retry
	 * @param max the longest wait, at least {@code initial}
	 * @param multiplier what each wait is multiplied by for the next
	 * @param jitter how far a wait is moved at random either way, as a share of it (0 to
	 * below 1), so that callers that failed together do not retry together
	 */
	public record Backoff(@DurationMin(millis = 1) Duration initial, @DurationMin(millis = 1) Duration max,
			@DecimalMin("1.0") Double multiplier,
			@DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) Double jitter) {

		Backoff overriddenBy(Backoff other) {
			return new Backoff(pick(this.initial, other.initial), pick(this.max, other.max),
					pick(this.multiplier, other.multiplier), pick(this.jitter, other.jitter));
		}

	}

	/**
	 * The cap on retries per target, so that retries do not multiply the load on a target
	 * that is failing for everyone.
	 *
	 * @param ratio retries allowed per call made to the target within the window (0.2:
	 * retries add at most a fifth to its calls)
	 * @param window the time over which calls and retries are counted
	 * @param minRetries retries allowed per window whatever the traffic, so that a quiet
	 * target gets some
	 */
	public record Budget(@DecimalMin("0.0") @DecimalMax("1.0") Double ratio, @DurationMin(millis = 1) Duration window,
			@Min(0) Integer minRetries) {

		Budget overriddenBy(Budget other) {
			return new Budget(pick(this.ratio, other.ratio), pick(this.window, other.window),
					pick(this.minRetries, other.minRetries));
		}

	}

}
