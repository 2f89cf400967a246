package dev.atrium.mcp.federation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import dev.atrium.mcp.client.UpstreamSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Upstream sessions opened after the client initialised: for targets that had none then
 * (they were down, or joined the scenario later), in another region after a failover, or
 * in place of a session a target forgot. They cannot be added to the client's sealed
 * session id, so each replica keeps its own, for a bounded number of client sessions, the
 * least recently used first out. Each session opened is announced, so that a stream
 * listening to a client's targets joins it.
 */
final class LazyUpstreamSessions {

	private final Map<String, Map<String, Opened>> sessions;

	/** Every session once open, for whoever listens at that moment. */
	private final Sinks.Many<OpenedSession> openings = Sinks.many().multicast().directBestEffort();

	LazyUpstreamSessions(int capacity) {
		this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Map<String, Opened>> eldest) {
				return size() > capacity;
			}
		};
	}

	/**
	 * The session for a client session and endpoint ({@code target} or
	 * {@code target@region}), opened once for concurrent callers.
	 */
	synchronized Mono<UpstreamSession> get(String clientSessionId, String endpoint,
			Supplier<Mono<UpstreamSession>> opener) {
		Opened opened = of(clientSessionId, true).get(endpoint);
		return (opened != null) ? opened.session() : open(clientSessionId, endpoint, opener, null).session();
	}

	/** The session this replica opened for a client session and endpoint, if any. */
	synchronized Mono<UpstreamSession> find(String clientSessionId, String endpoint) {
		Opened opened = of(clientSessionId, false).get(endpoint);
		return (opened != null) ? opened.session() : null;
	}

	/**
	 * A new session in place of one the target forgot; concurrent callers that found the
	 * same session forgotten share one.
	 */
	synchronized Mono<UpstreamSession> renew(String clientSessionId, String endpoint, UpstreamSession forgotten,
			Supplier<Mono<UpstreamSession>> opener) {
		Opened opened = of(clientSessionId, true).get(endpoint);
		if (opened != null && Objects.equals(opened.replaces(), forgotten.sessionId())) {
			return opened.session();
		}
		return open(clientSessionId, endpoint, opener, forgotten.sessionId()).session();
	}

	/** The sessions opened for a client session, by endpoint. */
	synchronized Map<String, Mono<UpstreamSession>> of(String clientSessionId) {
		return sessionsOf(of(clientSessionId, false));
	}

	/** Removes and returns the sessions opened for a client session. */
	synchronized Map<String, Mono<UpstreamSession>> remove(String clientSessionId) {
		Map<String, Opened> removed = this.sessions.remove(clientSessionId);
		return (removed != null) ? sessionsOf(removed) : Map.of();
	}

	/**
	 * The sessions opened for a client session from now on (a new one in place of a
	 * forgotten one included), by endpoint, as each one opens.
	 */
	Flux<OpenedSession> openedLater(String clientSessionId) {
		return this.openings.asFlux().filter((opened) -> opened.clientSessionId().equals(clientSessionId));
	}

	private Opened open(String clientSessionId, String endpoint, Supplier<Mono<UpstreamSession>> opener,
			String replaces) {
		Opened[] self = new Opened[1];
		// A session that failed to open is forgotten, so that the next call tries again.
		self[0] = new Opened(opener.get()
			.doOnNext((session) -> announce(new OpenedSession(clientSessionId, endpoint, session)))
			.doOnError((ex) -> forget(clientSessionId, endpoint, self[0]))
			.cache(), replaces);
		of(clientSessionId, true).put(endpoint, self[0]);
		return self[0];
	}

	private void announce(OpenedSession opened) {
		// Sessions open on many threads; a sink takes one emission at a time.
		synchronized (this.openings) {
			this.openings.tryEmitNext(opened);
		}
	}

	private synchronized void forget(String clientSessionId, String endpoint, Opened opened) {
		Map<String, Opened> endpoints = this.sessions.get(clientSessionId);
		if (endpoints != null) {
			endpoints.remove(endpoint, opened);
			if (endpoints.isEmpty()) {
				this.sessions.remove(clientSessionId);
			}
		}
	}

	private Map<String, Opened> of(String clientSessionId, boolean create) {
		Map<String, Opened> endpoints = this.sessions.get(clientSessionId);
		if (endpoints == null && create) {
			endpoints = new LinkedHashMap<>();
			this.sessions.put(clientSessionId, endpoints);
		}
		return (endpoints != null) ? endpoints : Map.of();
	}

	private static Map<String, Mono<UpstreamSession>> sessionsOf(Map<String, Opened> endpoints) {
		Map<String, Mono<UpstreamSession>> found = new LinkedHashMap<>();
		endpoints.forEach((endpoint, opened) -> found.put(endpoint, opened.session()));
		return found;
	}

	/**
	 * @param session the session, cached once opened
	 * @param replaces the target's id of the session it stands in for, if it does
	 */
	private record Opened(Mono<UpstreamSession> session, String replaces) {
	}

	/**
	 * A session opened with an endpoint for a client session.
	 *
	 * @param clientSessionId what the client's sessions are kept under
	 * @param endpoint {@code target} or {@code target@region}
	 * @param session the session
	 */
	record OpenedSession(String clientSessionId, String endpoint, UpstreamSession session) {
	}

}
