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

import reactor.core.publisher.Mono;

/**
 * Session ids ended with DELETE on this replica, remembered until they would have expired
 * anyway, the oldest forgotten past a capacity. Alone, it is not shared: other replicas
 * learn of the end through the targets, which answer 404 for the upstream sessions that
 * were ended with it.
 */
public final class LocalTerminatedSessions implements TerminatedSessions {

	private final Map<String, Instant> ended;

	private final Duration lifetime;

	private final Clock clock;

	public LocalTerminatedSessions(int capacity, Duration lifetime, Clock clock) {
		this.lifetime = lifetime;
		this.clock = clock;
		this.ended = new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
				return size() > capacity;
			}
		};
	}

	@Override
	public Mono<Void> terminate(String sessionId) {
		record(sessionId);
		return Mono.empty();
	}

	/** Records an end at once. */
	public synchronized void record(String sessionId) {
		this.ended.put(digest(sessionId), this.clock.instant().plus(this.lifetime));
	}

	@Override
	public Mono<Boolean> isTerminated(String sessionId) {
		return Mono.just(endedHere(sessionId));
	}

	@Override
	public boolean sharedByReplicas() {
		return false;
	}

	/** The time a record is kept: as long as a session id can be valid. */
	public Duration lifetime() {
		return this.lifetime;
	}

	@Override
	public synchronized boolean endedHere(String sessionId) {
		String key = digest(sessionId);
		Instant until = this.ended.get(key);
		if (until != null && until.isBefore(this.clock.instant())) {
			this.ended.remove(key);
			return false;
		}
		return until != null;
	}

	/**
	 * The SHA-256 of a session id, in hex: what is kept, so that memory or a shared store
	 * never holds a usable session id.
	 */
	static String digest(String sessionId) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
