package dev.atrium.sts.revocation;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

/**
 * The deny-list of one replica: right for a single replica or a local default; several
 * replicas share a {@link RedisRevocationList}.
 */
public final class InMemoryRevocationList implements RevocationList {

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private final Clock clock;

	public InMemoryRevocationList(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Mono<Boolean> isRevoked(String jti) {
		Instant until = this.revoked.get(jti);
		return Mono.just(until != null && this.clock.instant().isBefore(until));
	}

	@Override
	public Mono<Void> revoke(String jti, Instant expiresAt) {
		Instant now = this.clock.instant();
		// Entries of expired tokens are dead weight: drop them as new ones arrive.
		this.revoked.values().removeIf((until) -> !now.isBefore(until));
		if (now.isBefore(expiresAt)) {
			this.revoked.put(jti, expiresAt);
		}
		return Mono.empty();
	}

	@Override
	public String toString() {
		return "InMemoryRevocationList[entries=" + this.revoked.size() + "]";
	}

}
