package dev.atrium.sts.apikey;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.RevocationList;
import dev.atrium.sts.token.SignedTokenMinter;
import reactor.core.publisher.Mono;

/**
 * JWT API keys for third parties: signed by Atrium's own API-key ring, bound to a client,
 * tenant, scopes and rate tier, expiring. Issued, rotated and revoked by administrators;
 * a revoked key goes on the shared deny-list until it would have expired.
 */
public final class ApiKeys {

	private final String issuer;

	private final Duration defaultLifetime;

	private final Duration maxLifetime;

	private final Set<String> rateTiers;

	private final SignedTokenMinter minter;

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	private final RevocationList revocations;

	private final Clock clock;

	public ApiKeys(String issuer, Duration defaultLifetime, Duration maxLifetime, Set<String> rateTiers,
			StsKeyRing keys, RevocationList revocations, Clock clock) {
		if (defaultLifetime.compareTo(maxLifetime) > 0) {
			throw new IllegalArgumentException(
					"the default API key lifetime " + defaultLifetime + " exceeds the maximum " + maxLifetime);
		}
		this.issuer = issuer;
		this.defaultLifetime = defaultLifetime;
		this.maxLifetime = maxLifetime;
		this.rateTiers = Set.copyOf(rateTiers);
		this.minter = new SignedTokenMinter(keys, SignedTokenMinter.ACCESS_TOKEN);
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys.jwkSource()));
		this.processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(SignedTokenMinter.ACCESS_TOKEN));
		// Expired keys can still be rotated or revoked: their claims are checked below.
		this.processor.setJWTClaimsSetVerifier(null);
		this.revocations = revocations;
		this.clock = clock;
	}

	public String issuer() {
		return this.issuer;
	}

	/** A new key, or why not. */
	public Result issue(ApiKeyRequest request) {
		Duration lifetime = (request.lifetime() != null) ? request.lifetime() : this.defaultLifetime;
		if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(this.maxLifetime) > 0) {
			return Result.refused("expires_in must be between 1 second and " + this.maxLifetime.toSeconds());
		}
		if (request.clientId().isBlank()) {
			return Result.refused("client_id is required");
		}
		if (request.scopes().isEmpty()) {
			return Result.refused("scopes must name at least one scope");
		}
		if (request.rateTier() != null && !this.rateTiers.contains(request.rateTier())) {
			return Result.refused("rate_tier must be one of " + this.rateTiers);
		}
		Instant now = this.clock.instant();
		Instant expiry = now.plus(lifetime);
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(request.clientId())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(expiry))
			.jwtID(UUID.randomUUID().toString())
			.claim("client_id", request.clientId())
			.claim("scope", String.join(" ", request.scopes()));
		if (request.tenant() != null) {
			claims.claim("tenant_id", request.tenant());
		}
		if (request.rateTier() != null) {
			claims.claim("rate_tier", request.rateTier());
		}
		JWTClaimsSet built = claims.build();
		return new Result(new Issued(this.minter.mint(built), built.getJWTID(), expiry), null);
	}

	/**
	 * A new key with the old one's client, tenant, scopes and tier; the old one is
	 * revoked once the new one exists.
	 */
	public Mono<Result> rotate(String oldKey, Duration lifetime) {
		JWTClaimsSet old = verified(oldKey);
		if (old == null) {
			return Mono.just(Result.refused("api_key is not an API key of this gateway"));
		}
		ApiKeyRequest request = new ApiKeyRequest(String.valueOf(old.getClaim("client_id")),
				(String) old.getClaim("tenant_id"), scopes(old), (String) old.getClaim("rate_tier"), lifetime);
		Result result = issue(request);
		if (result.issued() == null) {
			return Mono.just(result);
		}
		return this.revocations.revoke(old.getJWTID(), old.getExpirationTime().toInstant()).thenReturn(result);
	}

	/** Revokes a key, given as the key itself or as its id. */
	public Mono<Result> revoke(String key, String jti) {
		if (key != null) {
			JWTClaimsSet claims = verified(key);
			if (claims == null) {
				return Mono.just(Result.refused("api_key is not an API key of this gateway"));
			}
			return this.revocations.revoke(claims.getJWTID(), claims.getExpirationTime().toInstant())
				.thenReturn(new Result(null, null));
		}
		if (jti == null || jti.isBlank()) {
			return Mono.just(Result.refused("give api_key or jti"));
		}
		// Without the key its expiry is unknown: kept as long as any key can live.
		return this.revocations.revoke(jti, this.clock.instant().plus(this.maxLifetime))
			.thenReturn(new Result(null, null));
	}

	private JWTClaimsSet verified(String key) {
		if (key == null) {
			return null;
		}
		try {
			JWTClaimsSet claims = this.processor.process(key, null);
			boolean ours = this.issuer.equals(claims.getIssuer()) && claims.getJWTID() != null
					&& claims.getExpirationTime() != null;
			return ours ? claims : null;
		}
		catch (ParseException | BadJOSEException | JOSEException ex) {
			return null;
		}
	}

	private static List<String> scopes(JWTClaimsSet claims) {
		Object scope = claims.getClaim("scope");
		return (scope instanceof String text) ? List.of(text.split(" ")) : List.of();
	}

	/**
	 * An issued key.
	 *
	 * @param apiKey the key, shown once
	 * @param jti its id, for revocation
	 * @param expiresAt when it expires
	 */
	public record Issued(String apiKey, String jti, Instant expiresAt) {

		@Override
		public String toString() {
			return "Issued[jti=" + this.jti + ", expiresAt=" + this.expiresAt + "]";
		}

	}

	/**
	 * The outcome of an administrative action.
	 *
	 * @param issued the key issued, if one was
	 * @param refusal why nothing was done, or {@code null}
	 */
	public record Result(Issued issued, String refusal) {

		static Result refused(String refusal) {
			return new Result(null, refusal);
		}

	}

}
