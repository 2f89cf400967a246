package dev.atrium.mcp.federation;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import dev.atrium.mcp.session.SealedBox;
import dev.atrium.mcp.session.SessionKeyRing;

/**
 * How long a call that needs its client's input waits for it: a call held open at an
 * older target for a 2026-07-28 client's retry, and an older client's answers to a
 * 2026-07-28 target's input requests.
 *
 * @param box seals the {@code requestState} handed to 2026-07-28 clients; the session key
 * ring's, so that every replica opens it
 * @param window how long a held call waits for the client's retry, and a 2026-07-28
 * target's questions for an older client's answers
 * @param capacity how many calls one replica holds for retries at once
 */
public record InputWait(SealedBox box, Duration window, int capacity) {

	public InputWait {
		if (window == null || window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be > 0, was " + window);
		}
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
		}
	}

	/** A window of five minutes, a replica-local key: for a single replica and tests. */
	public static InputWait local() {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		return new InputWait(new SealedBox(SessionKeyRing.derive(List.of(new SessionKeyRing.Secret("local", secret)))),
				Duration.ofMinutes(5), 10_000);
	}

}
