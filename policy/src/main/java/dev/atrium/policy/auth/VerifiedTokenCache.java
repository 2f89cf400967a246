package dev.atrium.policy.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers which tokens had a valid signature, so that a client sending the same token
 * on every request pays for the signature check (an RSA or ECDSA verification, the
 * largest cost of a request) once and not each time.
 * <p>
 * Only the signature check and the parsing are remembered. The claim checks (issuer,
 * {@code exp}, {@code nbf}, {@code iat} with the clock skew, audience, client, claim
 * rules) run on every request on the clock, cached or not, and so does whatever a caller
 * adds after decoding (revocation and delegation chains of Atrium's own tokens). A token
 * whose signature failed is never remembered. An entry is keyed by the SHA-256 of the
 * whole token, and lives at most {@code ttl}, and never past the token's {@code exp}: a
 * key withdrawn from the issuer's JWKS therefore stops verifying its tokens at most
 * {@code ttl} after the JWKS cache let go of it.
 */
public final class VerifiedTokenCache implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder signatureVerifier;

	private final OAuth2TokenValidator<Jwt> validator;

	private final Cache<String, Jwt> verified;

	private final Clock clock;

	private final Duration ttl;

	/**
	 * @param signatureVerifier parses a token and checks its signature, and nothing else
	 * @param validator the claim checks, run on every token
	 * @param maxEntries how many verified tokens are remembered at most
	 * @param ttl how long one is remembered at most
	 * @param clock the time, of the claim checks as of the entries' lifetime
	 */
	public VerifiedTokenCache(ReactiveJwtDecoder signatureVerifier, OAuth2TokenValidator<Jwt> validator, int maxEntries,
			Duration ttl, Clock clock) {
		if (maxEntries <= 0) {
			throw new IllegalArgumentException("maxEntries must be > 0, was " + maxEntries);
		}
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("ttl must be > 0, was " + ttl);
		}
		this.signatureVerifier = signatureVerifier;
		this.validator = validator;
		this.clock = clock;
		this.ttl = ttl;
		this.verified = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.expireAfter(Expiry.<String, Jwt>creating((key, jwt) -> lifetime(jwt)))
			// Entries age on the injected clock, as the claim checks do.
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.executor(Runnable::run)
			.build();
	}

	@Override
	public Mono<Jwt> decode(String token) {
		String key = digest(token);
		Jwt remembered = this.verified.getIfPresent(key);
		Mono<Jwt> signed = (remembered != null) ? Mono.just(remembered)
				: this.signatureVerifier.decode(token).doOnNext((jwt) -> remember(key, jwt));
		return signed.map(this::validate);
	}

	private void remember(String key, Jwt jwt) {
		if (!lifetime(jwt).isZero()) {
			this.verified.put(key, jwt);
		}
	}

	/** At most the TTL, and never past {@code exp}; zero: not worth remembering. */
	private Duration lifetime(Jwt jwt) {
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			return Duration.ZERO;
		}
		Duration left = Duration.between(this.clock.instant(), expiresAt);
		if (left.isNegative()) {
			return Duration.ZERO;
		}
		return (left.compareTo(this.ttl) < 0) ? left : this.ttl;
	}

	/** As NimbusReactiveJwtDecoder validates, with the same exception and message. */
	private Jwt validate(Jwt jwt) {
		OAuth2TokenValidatorResult result = this.validator.validate(jwt);
		if (result.hasErrors()) {
			String description = result.getErrors()
				.stream()
				.map(OAuth2Error::getDescription)
				.filter((text) -> text != null && !text.isEmpty())
				.findFirst()
				.orElse("Unable to validate Jwt");
			throw new JwtValidationException(description, result.getErrors());
		}
		return jwt;
	}

	/** How many verified tokens are remembered now (an estimate). */
	public long size() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

	/** Over the token's UTF-16 code units: exact, whatever characters it holds. */
	private static String digest(String token) {
		ByteBuffer units = ByteBuffer.allocate(token.length() * 2);
		units.asCharBuffer().put(token);
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(units.array()));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
