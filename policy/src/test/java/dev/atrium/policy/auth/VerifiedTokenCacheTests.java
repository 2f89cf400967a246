package dev.atrium.policy.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.atrium.testsupport.MutableClock;
import dev.atrium.testsupport.SigningKey;
import dev.atrium.testsupport.TokenBuilder;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VerifiedTokenCacheTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private static final Duration SKEW = Duration.ofSeconds(60);

	private static final Duration TTL = Duration.ofMinutes(5);

	private static final String ISSUER = "https://issuer.example.com";

	private final SigningKey key = SigningKey.rsa("k1");

	private final MutableClock clock = new MutableClock(NOW);

	/** Counts the key look-ups: one per signature verification. */
	private final AtomicInteger verifications = new AtomicInteger();

	private final ReactiveJwtDecoder decoder = IssuerJwtDecoders.create(spec(100), keys(), this.clock);

	@Test
	void aTokenSentAgainIsNotVerifiedAgain() {
		String token = token(NOW.plus(Duration.ofHours(1)));

		assertThat(decode(token).getSubject()).isEqualTo("alice");
		assertThat(decode(token).getSubject()).isEqualTo("alice");
		assertThat(decode(token).getSubject()).isEqualTo("alice");

		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void aRememberedTokenIsRefusedOnceItExpiredPastTheSkew() {
		Instant expiry = NOW.plus(Duration.ofMinutes(2));
		String token = token(expiry);
		decode(token);

		// Within the skew after exp: accepted, as without the cache.
		this.clock.set(expiry.plus(SKEW).minusSeconds(1));
		assertThat(decode(token).getSubject()).isEqualTo("alice");
		this.clock.set(expiry.plus(SKEW));
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> decode(token))
			.withMessageContaining("expired");
	}

	@Test
	void theClaimChecksRunOnEveryRememberedToken() {
		String token = TokenBuilder.of(header(), claims(NOW.plus(Duration.ofHours(1)), "someone-else"), this.key)
			.sign();

		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> decode(token))
			.withMessageContaining("aud");
		assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> decode(token))
			.withMessageContaining("aud");
	}

	@Test
	void aTokenWhoseSignatureFailedIsNeverRemembered() {
		String token = token(NOW.plus(Duration.ofHours(1)));
		String forged = TokenBuilder.of(header(), claims(NOW.plus(Duration.ofHours(1)), "atrium"), this.key)
			.claim("sub", "mallory")
			.signatureKey(SigningKey.rsa("k1"))
			.sign();
		decode(token);

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> decode(forged));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> decode(forged));
		assertThat(this.verifications).hasValue(3);
	}

	@Test
	void aTokenDifferingInOneCharacterIsVerifiedOnItsOwn() {
		String token = token(NOW.plus(Duration.ofHours(1)));
		decode(token);
		String tampered = token.substring(0, token.length() - 2)
				+ ((token.charAt(token.length() - 2) == 'A') ? 'B' : 'A') + token.charAt(token.length() - 1);

		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> decode(tampered));
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void aTokenIsRememberedForTheTtlAtMost() {
		String token = token(NOW.plus(Duration.ofHours(1)));
		decode(token);

		this.clock.advance(TTL.minusSeconds(1));
		decode(token);
		assertThat(this.verifications).hasValue(1);
		this.clock.advance(Duration.ofSeconds(1));
		decode(token);
		assertThat(this.verifications).hasValue(2);
	}

	@Test
	void aTokenIsNeverRememberedPastItsExpiry() {
		Instant expiry = NOW.plus(Duration.ofMinutes(1));
		String token = token(expiry);
		decode(token);

		// Past exp, within the skew: accepted, but verified again.
		this.clock.set(expiry.plusSeconds(1));
		decode(token);
		decode(token);
		assertThat(this.verifications).hasValue(3);
	}

	@Test
	void theCacheHoldsAtMostItsSize() {
		ReactiveJwtDecoder small = IssuerJwtDecoders.create(spec(2), keys(), this.clock);
		for (int i = 0; i < 10; i++) {
			small.decode(token(NOW.plus(Duration.ofHours(1)).plusSeconds(i))).block();
		}

		assertThat(((VerifiedTokenCache) small).size()).isLessThanOrEqualTo(2);
	}

	@Test
	void withoutACacheEveryRequestVerifies() {
		ReactiveJwtDecoder uncached = IssuerJwtDecoders.create(spec(0), keys(), this.clock);
		String token = token(NOW.plus(Duration.ofHours(1)));

		uncached.decode(token).block();
		uncached.decode(token).block();

		assertThat(uncached).isNotInstanceOf(VerifiedTokenCache.class);
		assertThat(this.verifications).hasValue(2);
	}

	private Jwt decode(String token) {
		return this.decoder.decode(token).block();
	}

	private String token(Instant expiry) {
		return TokenBuilder.of(header(), claims(expiry, "atrium"), this.key).sign();
	}

	private Map<String, Object> header() {
		return Map.of("alg", "RS256", "kid", this.key.kid(), "typ", "JWT");
	}

	private static Map<String, Object> claims(Instant expiry, String audience) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", ISSUER);
		claims.put("sub", "alice");
		claims.put("aud", audience);
		claims.put("iat", NOW.getEpochSecond());
		claims.put("exp", expiry.getEpochSecond());
		return claims;
	}

	private JWKSource<SecurityContext> keys() {
		ImmutableJWKSet<SecurityContext> set = new ImmutableJWKSet<>(new JWKSet(this.key.publicJwk()));
		return (selector, context) -> {
			this.verifications.incrementAndGet();
			return set.get(selector, context);
		};
	}

	private static IssuerSpec spec(int verifiedTokens) {
		return new IssuerSpec("test", IssuerType.OIDC, ISSUER, null, Set.of("RS256"), List.of("atrium"), List.of(),
				List.of(), null, null, SKEW, Duration.ofMinutes(5), verifiedTokens, TTL);
	}

}
