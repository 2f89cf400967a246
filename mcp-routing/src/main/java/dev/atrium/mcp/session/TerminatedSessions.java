package dev.atrium.mcp.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Session ids ended with DELETE on this replica, remembered until they would have expired
 * anyway. Other replicas learn of the end through the targets, which answer 404 for the
 * upstream sessions that were ended with it.
 */
public final class TerminatedSessions {

	private final Map<String, Instant> ended;

	private final Duration lifetime;

	private final Clock clock;

	public TerminatedSessions(int capacity, Duration lifetime, Clock clock) {
		this.lifetime = lifetime;
		this.clock = clock;
		this.ended = new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
				return size() > capacity;
			}
		};
	}

	public synchronized void terminate(String sessionId) {
		this.ended.put(digest(sessionId), this.clock.instant().plus(this.lifetime));
	}

	public synchronized boolean isTerminated(String sessionId) {
		String key = digest(sessionId);
		Instant until = this.ended.get(key);
		if (until != null && until.isBefore(this.clock.instant())) {
			this.ended.remove(key);
			return false;
		}
		return until != null;
	}

	private static String digest(String sessionId) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
