package dev.atrium.policy.resilience;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One attempt's place in a target's breaker and bulkhead, given back exactly once
 * whichever way the attempt ends.
 * <p>
 * An attempt is judged when its answer ends: a stream that breaks half-way is a failure.
 * A probe of a half-open breaker is judged as soon as its answer begins instead, or one
 * long stream would hold the breaker half-open, refusing every other call, for as long as
 * it runs; if that stream breaks later, it counts as one more failure. Either way the
 * duration judged is the time to the first byte, so a long stream is never a slow call.
 * The bulkhead place is held until the answer ends, so that open streams count against
 * the limit.
 */
final class CallPermit {

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final boolean probe;

	private final long start;

	private final AtomicBoolean began = new AtomicBoolean();

	private final AtomicBoolean judged = new AtomicBoolean();

	private final AtomicBoolean released = new AtomicBoolean();

	private volatile long firstByte;

	/**
	 * Takes the place; the breaker's permission and the bulkhead's must have been
	 * acquired.
	 */
	CallPermit(CircuitBreaker breaker, Bulkhead bulkhead) {
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.probe = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
		this.start = breaker.getCurrentTimestamp();
	}

	/** The target began its answer. */
	void answerBegan() {
		this.firstByte = elapsed();
		this.began.set(true);
		if (this.probe && this.judged.compareAndSet(false, true)) {
			this.breaker.onSuccess(this.firstByte, this.breaker.getTimestampUnit());
		}
	}

	/** The attempt failed, before or after its answer began. */
	void failed(Throwable error) {
		boolean counts = TargetFailures.countsAgainstTarget(error);
		long duration = this.began.get() ? this.firstByte : elapsed();
		if (this.judged.compareAndSet(false, true)) {
			if (counts) {
				this.breaker.onError(duration, this.breaker.getTimestampUnit(), error);
			}
			else {
				this.breaker.releasePermission();
			}
		}
		else if (counts) {
			this.breaker.onError(duration, this.breaker.getTimestampUnit(), error);
		}
		release();
	}

	/**
	 * The answer ended without an error: it completed, or its caller stopped listening
	 * (the target was answering until then).
	 */
	void answerEnded() {
		if (this.judged.compareAndSet(false, true)) {
			this.breaker.onSuccess(this.firstByte, this.breaker.getTimestampUnit());
		}
		release();
	}

	/**
	 * The caller stopped waiting before the answer began, or there was none: that says
	 * nothing about the target. Once the answer began, its end releases the place.
	 */
	void abandoned() {
		if (!this.began.get() && this.judged.compareAndSet(false, true)) {
			this.breaker.releasePermission();
			release();
		}
	}

	private long elapsed() {
		return this.breaker.getCurrentTimestamp() - this.start;
	}

	private void release() {
		if (this.released.compareAndSet(false, true)) {
			this.bulkhead.onComplete();
		}
	}

}
