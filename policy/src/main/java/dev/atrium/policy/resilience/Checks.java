package dev.atrium.policy.resilience;

import java.time.Duration;

/** The checks the settings share; each message names the value and what it was. */
final class Checks {

	private Checks() {
	}

	static void positive(String name, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + " must be > 0, was " + value);
		}
	}

	static void positive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be > 0, was " + value);
		}
	}

	static void notNegative(String name, Duration value) {
		if (value == null || value.isNegative()) {
			throw new IllegalArgumentException(name + " must be >= 0, was " + value);
		}
	}

	static void notNull(String name, Object value) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must be set");
		}
	}

}
