package dev.atrium.sts.keys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.sts.token.SignedTokenMinter;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StsKeyRingTests {

	private static final byte[] SECRET = "a-secret-shared-by-every-replica-0123456789".getBytes(StandardCharsets.UTF_8);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:30:00Z"));

	private final StsKeyRing ring = new StsKeyRing(SECRET, Duration.ofHours(1), Duration.ofMinutes(6), this.clock);

	@Test
	void replicasWithTheSameSecretDeriveTheSameKeys() throws Exception {
		StsKeyRing otherReplica = new StsKeyRing(SECRET, Duration.ofHours(1), Duration.ofMinutes(6), this.clock);

		assertThat(otherReplica.signingKey()).isEqualTo(this.ring.signingKey());
		assertThat(otherReplica.signingKey().toECPrivateKey()).isNotNull();
	}

	@Test
	void aDifferentSecretDerivesDifferentKeys() {
		byte[] other = "another-secret-of-another-deployment-0123456".getBytes(StandardCharsets.UTF_8);
		StsKeyRing foreign = new StsKeyRing(other, Duration.ofHours(1), Duration.ofMinutes(6), this.clock);

		assertThat(foreign.signingKey().getKeyID()).isNotEqualTo(this.ring.signingKey().getKeyID());
		assertThat(foreign.signingKey().getX()).isNotEqualTo(this.ring.signingKey().getX());
	}

	@Test
	void theSigningKeyRotatesEveryPeriod() {
		ECKey first = this.ring.signingKey();
		this.clock.advance(Duration.ofMinutes(29));
		assertThat(this.ring.signingKey()).isEqualTo(first);

		this.clock.advance(Duration.ofMinutes(1));

		assertThat(this.ring.signingKey().getKeyID()).isNotEqualTo(first.getKeyID());
	}

	@Test
	void theNextKeyIsPublishedBeforeItSigns() {
		this.clock.advance(Duration.ofMinutes(10));
		String published = this.ring.publishedKeys().toString();
		this.clock.advance(Duration.ofMinutes(20));

		assertThat(published).contains(this.ring.signingKey().getKeyID());
	}

	@Test
	void aRetiredKeyStaysPublishedUntilItsLastTokenExpires() {
		ECKey retired = this.ring.signingKey();
		this.clock.advance(Duration.ofMinutes(30));
		assertThat(this.ring.publishedKeys().getKeyByKeyId(retired.getKeyID())).isNotNull();

		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.ring.publishedKeys().getKeyByKeyId(retired.getKeyID())).isNotNull();

		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.ring.publishedKeys().getKeyByKeyId(retired.getKeyID())).isNull();
	}

	@Test
	void publishedKeysArePublicOnly() {
		for (JWK key : this.ring.publishedKeys().getKeys()) {
			assertThat(key.isPrivate()).isFalse();
			assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		}
	}

	@Test
	void aMintedTokenVerifiesWithThePublishedKey() throws Exception {
		String token = new SignedTokenMinter(this.ring, SignedTokenMinter.ACCESS_TOKEN)
			.mint(new JWTClaimsSet.Builder().subject("user-1").build());

		SignedJWT jwt = SignedJWT.parse(token);
		ECKey key = (ECKey) this.ring.publishedKeys().getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(jwt.getHeader().getType()).isEqualTo(SignedTokenMinter.ACCESS_TOKEN);
		assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
	}

	@Test
	void aShortSecretIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new StsKeyRing(new byte[16], Duration.ofHours(1), Duration.ZERO, this.clock))
			.withMessageContaining("at least 32 bytes, had 16");
	}

}
