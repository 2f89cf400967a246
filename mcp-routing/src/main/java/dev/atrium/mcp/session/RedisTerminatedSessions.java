package dev.atrium.mcp.session;

import java.time.Duration;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Terminations shared by every replica through Redis: one key per ended session (the
 * SHA-256 of its id, never the id), expiring when the id would have. This replica's own
 * terminations are also kept in memory, for the lookup every request makes without
 * waiting.
 */
public final class RedisTerminatedSessions implements TerminatedSessions {

	private static final Logger logger = LoggerFactory.getLogger(RedisTerminatedSessions.class);

	private static final String PREFIX = "atrium:sessions:ended:";

	/** An end is rare and must not be lost: it may wait longer than a lookup. */
	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

	private final LocalTerminatedSessions local;

	private final Mono<RedisReactiveCommands<String, String>> redis;

	private final Duration timeout;

	/**
	 * @param local this replica's memory, whose lifetime is also the keys'
	 * @param redis the connection, made on first use and again after a failure
	 * @param timeout the longest wait for a lookup
	 */
	public RedisTerminatedSessions(LocalTerminatedSessions local, Mono<RedisReactiveCommands<String, String>> redis,
			Duration timeout) {
		this.local = local;
		this.redis = redis;
		this.timeout = timeout;
	}

	/**
	 * Remembered here at once, then in Redis; when Redis cannot take it, the end still
	 * goes on (the client asked for it) and the loss is logged: another replica could
	 * then open the session again with a target that forgot it.
	 */
	@Override
	public Mono<Void> terminate(String sessionId) {
		this.local.record(sessionId);
		String key = PREFIX + LocalTerminatedSessions.digest(sessionId);
		return this.redis
			.flatMap((commands) -> commands.set(key, "1", SetArgs.Builder.px(this.local.lifetime().toMillis())))
			.timeout(WRITE_TIMEOUT)
			.doOnError((ex) -> logger.warn("Could not share the end of a session through Redis: {}", ex.toString()))
			.onErrorComplete()
			.then();
	}

	@Override
	public boolean endedHere(String sessionId) {
		return this.local.endedHere(sessionId);
	}

	@Override
	public Mono<Boolean> isTerminated(String sessionId) {
		if (this.local.endedHere(sessionId)) {
			return Mono.just(true);
		}
		String key = PREFIX + LocalTerminatedSessions.digest(sessionId);
		return this.redis.flatMap((commands) -> commands.exists(key))
			.map((count) -> count > 0)
			.timeout(this.timeout)
			.onErrorResume((ex) -> {
				logger.warn("Terminated sessions unavailable ({}); the session is taken as ended", ex.toString());
				return Mono.just(true);
			});
	}

	@Override
	public boolean sharedByReplicas() {
		return true;
	}

	@Override
	public String toString() {
		return "RedisTerminatedSessions[timeout=" + this.timeout + "]";
	}

}
