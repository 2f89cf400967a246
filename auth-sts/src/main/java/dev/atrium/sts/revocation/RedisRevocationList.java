package dev.atrium.sts.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The deny-list shared by every replica through Redis: one key per revoked {@code jti},
 * expiring with the token. When Redis does not answer in time, a lookup fails closed (the
 * token is refused) unless configured to fail open; never a hang.
 */
public final class RedisRevocationList implements RevocationList {

	private static final Logger logger = LoggerFactory.getLogger(RedisRevocationList.class);

	private static final String PREFIX = "atrium:sts:revoked:";

	private final RedisReactiveCommands<String, String> redis;

	private final Duration timeout;

	private final boolean failOpen;

	private final Clock clock;

	public RedisRevocationList(RedisReactiveCommands<String, String> redis, Duration timeout, boolean failOpen,
			Clock clock) {
		this.redis = redis;
		this.timeout = timeout;
		this.failOpen = failOpen;
		this.clock = clock;
	}

	@Override
	public Mono<Boolean> isRevoked(String jti) {
		return this.redis.exists(PREFIX + jti).map((count) -> count > 0).timeout(this.timeout).onErrorResume((ex) -> {
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
		return this.redis.set(PREFIX + jti, "1", SetArgs.Builder.px(ttl)).timeout(this.timeout).then();
	}

	@Override
	public String toString() {
		return "RedisRevocationList[timeout=" + this.timeout + ", failOpen=" + this.failOpen + "]";
	}

}
