package dev.atrium.sts.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The deny-list shared by every replica through Redis: one key per revoked {@code jti},
 * expiring with the token. When Redis does not answer in time, a lookup fails closed (the
 * token is refused) unless configured to fail open; never a hang.
 */
public final class RedisRevocationList implements RevocationList {

	private static final Logger logger = LoggerFactory.getLogger(RedisRevocationList.class);

	private static final String PREFIX = "atrium:sts:revoked:";

	/** A revocation is rare and must not be lost: it may wait longer than a lookup. */
	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);

	private final Mono<RedisReactiveCommands<String, String>> redis;

	private final Duration timeout;

	private final boolean failOpen;

	private final Clock clock;

	/**
	 * @param redis the connection, made on first use and made again after a failure, so
	 * that a Redis that is down at start does not stop the gateway; see
	 * {@link #connection}
	 * @param timeout the longest wait for an answer
	 * @param failOpen whether a lookup that gets no answer accepts the token
	 * @param clock the time
	 */
	public RedisRevocationList(Mono<RedisReactiveCommands<String, String>> redis, Duration timeout, boolean failOpen,
			Clock clock) {
		this.redis = redis;
		this.timeout = timeout;
		this.failOpen = failOpen;
		this.clock = clock;
	}

	/**
	 * A connection to Redis made off the event loops (Lettuce may wait on the handshake),
	 * kept once made, and made again on the next use after a failure.
	 */
	public static Mono<RedisReactiveCommands<String, String>> connection(RedisClient client, String uri) {
		return Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, RedisURI.create(uri)))
			.subscribeOn(Schedulers.boundedElastic())
			.map(StatefulRedisConnection::reactive)
			.cacheInvalidateIf((commands) -> !commands.isOpen());
	}

	@Override
	public Mono<Boolean> isRevoked(String jti) {
		return this.redis.flatMap((commands) -> commands.exists(PREFIX + jti))
			.map((count) -> count > 0)
			.timeout(this.timeout)
			.onErrorResume((ex) -> {
				logger.warn("Revocation list unavailable ({}); STS tokens are {}", ex.toString(),
						this.failOpen ? "accepted" : "refused");
				return Mono.just(!this.failOpen);
			});
	}

	@Override
	public Mono<Void> revoke(String jti, Instant expiresAt) {
		long ttl = Duration.between(this.clock.instant(), expiresAt).toMillis();
		if (ttl <= 0) {
			return Mono.empty();
		}
		return this.redis.flatMap((commands) -> commands.set(PREFIX + jti, "1", SetArgs.Builder.px(ttl)))
			.timeout(WRITE_TIMEOUT)
			.then();
	}

	@Override
	public String toString() {
		return "RedisRevocationList[timeout=" + this.timeout + ", failOpen=" + this.failOpen + "]";
	}

}
