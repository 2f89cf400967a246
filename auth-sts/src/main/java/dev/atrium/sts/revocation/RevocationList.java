package dev.atrium.sts.revocation;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * The deny-list of revoked token ids ({@code jti}) that the gateway consults for every
 * STS token: an entry lives until the token it names would have expired anyway.
 */
public interface RevocationList {

	Mono<Boolean> isRevoked(String jti);

	Mono<Void> revoke(String jti, Instant expiresAt);

}
