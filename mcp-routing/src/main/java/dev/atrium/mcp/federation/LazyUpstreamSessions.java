package dev.atrium.mcp.federation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.atrium.mcp.client.UpstreamSession;
import reactor.core.publisher.Mono;

/**
 * Upstream sessions opened after the client initialised, for targets that had none then
 * (they were down, or joined the scenario later), and those opened for sessionless
 * (2026-07-28) callers, keyed by caller. They cannot be added to a client's sealed
 * session id, so each replica keeps its own, bounded, least recently used first out.
 */
final class LazyUpstreamSessions {

	private final Map<String, Mono<UpstreamSession>> sessions;

	LazyUpstreamSessions(int capacity) {
		this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Mono<UpstreamSession>> eldest) {
				return size() > capacity;
			}
		};
	}

	/**
	 * The session for a client session and target, opened once for concurrent callers.
	 */
	synchronized Mono<UpstreamSession> get(String clientSessionId, String target,
			Supplier<Mono<UpstreamSession>> opener) {
		String key = key(clientSessionId, target);
		return this.sessions.computeIfAbsent(key, (ignored) -> opener.get().doOnError((ex) -> forget(key)).cache());
	}

	/** The sessions opened for a client session, by target (or target@region). */
	synchronized Map<String, Mono<UpstreamSession>> of(String clientSessionId) {
		Map<String, Mono<UpstreamSession>> found = new LinkedHashMap<>();
		this.sessions.forEach((key, session) -> {
			if (key.startsWith(clientSessionId + "\n")) {
				found.put(key.substring(clientSessionId.length() + 1), session);
			}
		});
		return found;
	}

	/** Removes and returns the sessions opened for a client session. */
	synchronized Map<String, Mono<UpstreamSession>> remove(String clientSessionId) {
		Map<String, Mono<UpstreamSession>> removed = new LinkedHashMap<>();
		this.sessions.entrySet().removeIf((entry) -> {
			if (entry.getKey().startsWith(clientSessionId + "\n")) {
				removed.put(entry.getKey().substring(clientSessionId.length() + 1), entry.getValue());
				return true;
			}
			return false;
		});
		return removed;
	}

	/** Forgets the session for a client session and target, which the target ended. */
	synchronized void forget(String clientSessionId, String target) {
		forget(key(clientSessionId, target));
	}

	private synchronized void forget(String key) {
		this.sessions.remove(key);
	}

	private static String key(String clientSessionId, String target) {
		return clientSessionId + "\n" + target;
	}

}
