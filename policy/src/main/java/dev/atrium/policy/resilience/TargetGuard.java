package dev.atrium.policy.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.TargetException;
import dev.atrium.mcp.client.UpstreamReply;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The calls to one target, through its circuit breaker, its bulkhead and, for idempotent
 * calls, retries within its budget. Each attempt passes the breaker and the bulkhead, so
 * a retry is counted like any call and an open breaker stops the retries too.
 */
final class TargetGuard {

	private static final Logger logger = LoggerFactory.getLogger(TargetGuard.class);

	private final String target;

	private final ResilienceSettings settings;

	private final Clock clock;

	private final Scheduler delays;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final RetryBudget budget;

	private final IntervalFunction backoff;

	private volatile Instant openedAt;

	TargetGuard(String target, ResilienceSettings settings, Clock clock, Scheduler delays, CircuitBreaker breaker,
			Bulkhead bulkhead) {
		this.target = target;
		this.settings = settings;
		this.clock = clock;
		this.delays = delays;
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.budget = new RetryBudget(settings.retry().budget(), clock);
		RetrySettings.Backoff backoff = settings.retry().backoff();
		this.backoff = IntervalFunction.ofExponentialRandomBackoff(backoff.initial(), backoff.multiplier(),
				backoff.jitter(), backoff.max());
		this.breaker.getEventPublisher().onStateTransition((event) -> transitioned(event.getStateTransition()));
	}

	static CircuitBreakerConfig breakerConfig(BreakerSettings settings, Clock clock) {
		return CircuitBreakerConfig.custom()
			.slidingWindow(settings.window(), settings.window(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.failureRateThreshold(settings.failureRatePercent())
			.slowCallRateThreshold(settings.failureRatePercent())
			.slowCallDurationThreshold(settings.slowCallDuration())
			.waitDurationInOpenState(settings.openDuration())
			.permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
			.clock(clock)
			// Durations on the same clock as the open state, so tests can move both.
			.currentTimestampFunction(Clock::millis, TimeUnit.MILLISECONDS)
			.writableStackTraceEnabled(false)
			.build();
	}

	static BulkheadConfig bulkheadConfig(BulkheadSettings settings) {
		return BulkheadConfig.custom()
			.maxConcurrentCalls(settings.maxConcurrentCalls())
			.maxWaitDuration(settings.maxWait())
			.writableStackTraceEnabled(false)
			.build();
	}

	CircuitBreaker breaker() {
		return this.breaker;
	}

	/**
	 * Whether the breaker would refuse a call now: open and its open duration not over
	 * (after it, the next call is let through as a trial), or forced open.
	 */
	boolean refusesEveryCall() {
		return switch (this.breaker.getState()) {
			case FORCED_OPEN -> true;
			case OPEN -> {
				Instant opened = this.openedAt;
				yield opened == null
						|| this.clock.instant().isBefore(opened.plus(this.settings.breaker().openDuration()));
			}
			default -> false;
		};
	}

	Mono<UpstreamReply> guard(TargetCall call, Supplier<Mono<UpstreamReply>> upstream) {
		return Mono.defer(() -> {
			this.budget.recordCall();
			AtomicInteger attempts = new AtomicInteger();
			Mono<UpstreamReply> attempt = Mono.defer(() -> {
				attempts.incrementAndGet();
				return attempt(upstream);
			});
			if (!call.idempotent() || this.settings.retry().maxAttempts() <= 1) {
				return attempt;
			}
			return attempt.retryWhen(Retry.from((signals) -> signals.concatMap(this::retryOrGiveUp)))
				.onErrorMap(TargetException.class,
						(ex) -> (attempts.get() > 1) ? ex.afterAttempts(attempts.get()) : ex);
		});
	}

	private Mono<UpstreamReply> attempt(Supplier<Mono<UpstreamReply>> upstream) {
		if (!this.breaker.tryAcquirePermission()) {
			return Mono.error(breakerRefusal());
		}
		if (this.settings.bulkhead().maxWait().isZero()) {
			return placed(this.bulkhead.tryAcquirePermission(), upstream);
		}
		return waitForPlace(upstream);
	}

	/**
	 * Waiting for a place blocks a thread, so it is done off the event loop. A caller
	 * that leaves while it waits gives back its breaker permission, and the place if one
	 * was taken meanwhile.
	 */
	private Mono<UpstreamReply> waitForPlace(Supplier<Mono<UpstreamReply>> upstream) {
		AtomicBoolean settled = new AtomicBoolean();
		return Mono.fromSupplier(this.bulkhead::tryAcquirePermission)
			.subscribeOn(Schedulers.boundedElastic())
			.doOnDiscard(Boolean.class, this::giveBackPlace)
			.doOnCancel(() -> {
				if (settled.compareAndSet(false, true)) {
					this.breaker.releasePermission();
				}
			})
			.flatMap((placed) -> {
				if (!settled.compareAndSet(false, true)) {
					giveBackPlace(placed);
					return Mono.empty();
				}
				return placed(placed, upstream);
			});
	}

	private void giveBackPlace(boolean placed) {
		if (placed) {
			this.bulkhead.onComplete();
		}
	}

	private Mono<UpstreamReply> placed(boolean placed, Supplier<Mono<UpstreamReply>> upstream) {
		if (!placed) {
			this.breaker.releasePermission();
			return Mono.error(bulkheadRefusal());
		}
		CallPermit permit = new CallPermit(this.breaker, this.bulkhead);
		return upstream.get().map((reply) -> {
			permit.answerBegan();
			return new UpstreamReply(reply.streamed(),
					reply.messages().doOnError(permit::failed).doFinally((signal) -> permit.answerEnded()));
		}).doOnError(permit::failed).doOnCancel(permit::abandoned).doOnSuccess((reply) -> {
			if (reply == null) {
				permit.abandoned();
			}
		});
	}

	/**
	 * A relay the gateway does not read (a pass-through route): the breaker and the
	 * bulkhead, never retries. It is judged when it ends, by the HTTP status the target
	 * answered with.
	 */
	Mono<Void> relay(Mono<Void> relayed, IntSupplier status) {
		return Mono.defer(() -> {
			if (!this.breaker.tryAcquirePermission()) {
				return Mono.error(breakerRefusal());
			}
			if (!this.bulkhead.tryAcquirePermission()) {
				this.breaker.releasePermission();
				return Mono.error(bulkheadRefusal());
			}
			CallPermit permit = new CallPermit(this.breaker, this.bulkhead);
			return relayed.doOnSuccess((done) -> {
				int answered = status.getAsInt();
				if (answered >= 500 || answered == 408 || answered == 429) {
					permit.failed(TargetException.httpStatus(this.target, answered, "answered " + answered));
				}
				else {
					permit.answerBegan();
					permit.answerEnded();
				}
			}).doOnError(permit::failed).doOnCancel(permit::abandoned);
		});
	}

	private Mono<Long> retryOrGiveUp(Retry.RetrySignal signal) {
		Throwable failure = signal.failure();
		long retry = signal.totalRetries() + 1;
		// The budget is asked last, so that only retries that happen spend it.
		if (retry >= this.settings.retry().maxAttempts() || !TargetFailures.worthRetrying(failure)
				|| !this.budget.tryRetry()) {
			return Mono.error(failure);
		}
		long wait = this.backoff.apply((int) retry);
		logger.debug("Target '{}': retry {} in {} ms after: {}", this.target, retry, wait, failure.getMessage());
		return Mono.delay(Duration.ofMillis(wait), this.delays);
	}

	private TargetException breakerRefusal() {
		if (this.breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
			return refusal("is recovering: its circuit breaker lets only " + this.settings.breaker().halfOpenCalls()
					+ " trial call(s) through; try again shortly");
		}
		Instant opened = this.openedAt;
		Instant retryAt = ((opened != null) ? opened : this.clock.instant())
			.plus(this.settings.breaker().openDuration());
		long seconds = Math.max(0, (Duration.between(this.clock.instant(), retryAt).toMillis() + 999) / 1000);
		return refusal("is failing: its circuit breaker is open after repeated failures; it will be tried again in "
				+ seconds + " s (at " + retryAt + ")");
	}

	private TargetException bulkheadRefusal() {
		return refusal("is busy: it already has " + this.settings.bulkhead().maxConcurrentCalls()
				+ " calls open, the most it is given; try again shortly");
	}

	private TargetException refusal(String reason) {
		return new TargetException(this.target, JsonRpcError.TARGET_UNAVAILABLE, reason,
				TargetException.Fault.NOT_CALLED);
	}

	private void transitioned(CircuitBreaker.StateTransition transition) {
		if (transition.getToState() == CircuitBreaker.State.OPEN) {
			this.openedAt = this.clock.instant();
			logger.warn("Target '{}': circuit breaker {} -> OPEN; calls are refused for {} ms", this.target,
					transition.getFromState(), this.settings.breaker().openDuration().toMillis());
		}
		else {
			logger.info("Target '{}': circuit breaker {} -> {}", this.target, transition.getFromState(),
					transition.getToState());
		}
	}

}
