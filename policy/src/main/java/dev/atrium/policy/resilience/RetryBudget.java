package dev.atrium.policy.resilience;

import java.time.Clock;

/**
 * Counts one target's calls and retries over a sliding window of time, and allows a retry
 * only while retries stay within a share of the calls. When a target fails for everyone,
 * its retries are capped at that share instead of multiplying its load by the number of
 * attempts.
 */
final class RetryBudget {

	/** The window slides in tenths. */
	private static final int SLOTS = 10;

	private final RetrySettings.Budget settings;

	private final Clock clock;

	private final long slotMillis;

	private final long[] slotIndex = new long[SLOTS];

	private final long[] calls = new long[SLOTS];

	private final long[] retries = new long[SLOTS];

	RetryBudget(RetrySettings.Budget settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.slotMillis = Math.max(1, settings.window().toMillis() / SLOTS);
	}

	/** Counts a call, first attempts only. */
	synchronized void recordCall() {
		this.calls[slot()]++;
	}

	/** Takes a retry from the budget if there is one left. */
	synchronized boolean tryRetry() {
		int slot = slot();
		long callsInWindow = 0;
		long retriesInWindow = 0;
		for (int i = 0; i < SLOTS; i++) {
			if (this.slotIndex[i] > this.slotIndex[slot] - SLOTS) {
				callsInWindow += this.calls[i];
				retriesInWindow += this.retries[i];
			}
		}
		double allowed = Math.max(this.settings.minRetries(), this.settings.ratio() * callsInWindow);
		if (retriesInWindow + 1 > allowed) {
			return false;
		}
		this.retries[slot]++;
		return true;
	}

	/** The current slot, emptied first if it last counted an older tenth. */
	private int slot() {
		long index = this.clock.millis() / this.slotMillis;
		int slot = (int) (index % SLOTS);
		if (this.slotIndex[slot] != index) {
			this.slotIndex[slot] = index;
			this.calls[slot] = 0;
			this.retries[slot] = 0;
		}
		return slot;
	}

}
