package dev.atrium.mcp.session;

import reactor.core.publisher.Mono;

/**
 * Client sessions ended with {@code DELETE}. Every request first asks this replica's own
 * memory, without waiting; a target that answers 404 for its session asks every
 * replica's, since only a registry they share can tell a session the client ended on
 * another replica from one the target forgot.
 */
public interface TerminatedSessions {

	/**
	 * Records that the client ended a session, before its upstream sessions are ended.
	 */
	Mono<Void> terminate(String sessionId);

	/** Whether the session was ended on this replica: a lookup that never waits. */
	boolean endedHere(String sessionId);

	/**
	 * Whether the session was ended on any replica; when that cannot be known in time,
	 * {@code true}: a session wrongly thought ended is initialised again by its client,
	 * one wrongly thought alive would come back to life.
	 */
	Mono<Boolean> isTerminated(String sessionId);

	/**
	 * Whether every replica records its terminations here: only then may a session a
	 * target forgot be opened again for the client.
	 */
	boolean sharedByReplicas();

}
