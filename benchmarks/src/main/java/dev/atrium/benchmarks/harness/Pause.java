package dev.atrium.benchmarks.harness;

import java.util.concurrent.locks.LockSupport;

/** Waiting between polls of another process, which has no event to wait on. */
final class Pause {

	private Pause() {
	}

	static void millis(long millis) {
		LockSupport.parkNanos(millis * 1_000_000L);
		if (Thread.interrupted()) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted");
		}
	}

}
