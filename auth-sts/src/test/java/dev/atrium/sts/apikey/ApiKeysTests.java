package dev.atrium.sts.apikey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.nimbusds.jwt.SignedJWT;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.InMemoryRevocationList;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final InMemoryRevocationList revocations = new InMemoryRevocationList(this.clock);

	private final StsKeyRing ring = new StsKeyRing(
			"api-key-tests-secret-0123456789-0123456789".getBytes(StandardCharsets.UTF_8), StsKeyRing.API_KEYS,
			Duration.ofDays(30), Duration.ofDays(366), this.clock);

	private final ApiKeys keys = new ApiKeys("https://atrium.example.com/sts/api-keys", Duration.ofDays(30),
			Duration.ofDays(365), Set.of("standard", "premium"), this.ring, this.revocations, this.clock);

	@Test
	void aKeyIsBoundToItsClientTenantScopesAndTierAndExpiresIn30DaysByDefault() throws Exception {
		ApiKeys.Result result = this.keys
			.issue(new ApiKeyRequest("chatgpt_apps", "acme", List.of("mcp:read", "mcp:write"), "premium", null));

		SignedJWT key = SignedJWT.parse(result.issued().apiKey());
		assertThat(key.getJWTClaimsSet().getIssuer()).isEqualTo("https://atrium.example.com/sts/api-keys");
		assertThat(key.getJWTClaimsSet().getSubject()).isEqualTo("chatgpt_apps");
		assertThat(key.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("chatgpt_apps");
		assertThat(key.getJWTClaimsSet().getStringClaim("tenant_id")).isEqualTo("acme");
		assertThat(key.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("mcp:read mcp:write");
		assertThat(key.getJWTClaimsSet().getStringClaim("rate_tier")).isEqualTo("premium");
		assertThat(result.issued().expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
		assertThat(this.ring.publishedKeys().getKeyByKeyId(key.getHeader().getKeyID())).isNotNull();
	}

	@Test
	void aKeyLongerThanTheMaximumIsRefused() {
		assertThat(this.keys.issue(new ApiKeyRequest("c", null, List.of("mcp:read"), null, Duration.ofDays(400)))
			.refusal()).contains("expires_in");
	}

	@Test
	void anUnknownRateTierIsRefused() {
		assertThat(this.keys.issue(new ApiKeyRequest("c", null, List.of("mcp:read"), "gold", null)).refusal())
			.contains("rate_tier");
	}

	@Test
	void aKeyWithoutScopesIsRefused() {
		assertThat(this.keys.issue(new ApiKeyRequest("c", null, List.of(), null, null)).refusal()).contains("scopes");
	}

	@Test
	void rotationIssuesTheSameGrantsAndRevokesTheOldKey() throws Exception {
		ApiKeys.Issued old = this.keys
			.issue(new ApiKeyRequest("claude_apps", "acme", List.of("mcp:read"), "standard", null))
			.issued();
		this.clock.advance(Duration.ofDays(20));

		ApiKeys.Issued rotated = this.keys.rotate(old.apiKey(), null).block().issued();

		SignedJWT key = SignedJWT.parse(rotated.apiKey());
		assertThat(key.getJWTClaimsSet().getSubject()).isEqualTo("claude_apps");
		assertThat(key.getJWTClaimsSet().getStringClaim("tenant_id")).isEqualTo("acme");
		assertThat(key.getJWTClaimsSet().getStringClaim("rate_tier")).isEqualTo("standard");
		assertThat(rotated.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(50)));
		assertThat(this.revocations.isRevoked(old.jti()).block()).isTrue();
		assertThat(this.revocations.isRevoked(rotated.jti()).block()).isFalse();
	}

	@Test
	void somethingThatIsNotOurKeyCannotBeRotated() {
		StsKeyRing otherRing = new StsKeyRing(
				"another-deployment-secret-0123456789-012345".getBytes(StandardCharsets.UTF_8), StsKeyRing.API_KEYS,
				Duration.ofDays(30), Duration.ofDays(366), this.clock);
		ApiKeys foreign = new ApiKeys("https://atrium.example.com/sts/api-keys", Duration.ofDays(30),
				Duration.ofDays(365), Set.of(), otherRing, this.revocations, this.clock);
		String foreignKey = foreign.issue(new ApiKeyRequest("c", null, List.of("mcp:read"), null, null))
			.issued()
			.apiKey();

		assertThat(this.keys.rotate(foreignKey, null).block().refusal()).contains("not an API key");
		assertThat(this.keys.rotate("garbage", null).block().refusal()).contains("not an API key");
	}

	@Test
	void aKeyRevokedByItselfStaysRevokedUntilItsExpiry() {
		ApiKeys.Issued issued = this.keys.issue(new ApiKeyRequest("c", null, List.of("mcp:read"), null, null)).issued();

		this.keys.revoke(issued.apiKey(), null).block();

		assertThat(this.revocations.isRevoked(issued.jti()).block()).isTrue();
		this.clock.advance(Duration.ofDays(30));
		assertThat(this.revocations.isRevoked(issued.jti()).block()).isFalse();
	}

	@Test
	void aKeyRevokedByItsIdStaysRevokedForTheLongestLifetime() {
		this.keys.revoke(null, "some-jti").block();

		this.clock.advance(Duration.ofDays(364));
		assertThat(this.revocations.isRevoked("some-jti").block()).isTrue();
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.revocations.isRevoked("some-jti").block()).isFalse();
	}

	@Test
	void keysOfTheTwoPurposesAreUnrelated() {
		StsKeyRing access = new StsKeyRing(
				"api-key-tests-secret-0123456789-0123456789".getBytes(StandardCharsets.UTF_8), Duration.ofDays(30),
				Duration.ofDays(1), this.clock);

		assertThat(access.signingKey().getX()).isNotEqualTo(this.ring.signingKey().getX());
	}

}
