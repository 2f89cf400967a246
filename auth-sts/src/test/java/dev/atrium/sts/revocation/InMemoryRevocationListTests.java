package dev.atrium.sts.revocation;

import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryRevocationListTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	private final InMemoryRevocationList revocations = new InMemoryRevocationList(this.clock);

	@Test
	void aRevokedTokenIsRevokedUntilItWouldHaveExpired() {
		this.revocations.revoke("jti-1", this.clock.instant().plusSeconds(300)).block();

		assertThat(this.revocations.isRevoked("jti-1").block()).isTrue();
		assertThat(this.revocations.isRevoked("jti-2").block()).isFalse();
		this.clock.advance(Duration.ofSeconds(300));
		assertThat(this.revocations.isRevoked("jti-1").block()).isFalse();
	}

	@Test
	void anAlreadyExpiredTokenTakesNoEntry() {
		this.revocations.revoke("jti-1", this.clock.instant().minusSeconds(1)).block();

		assertThat(this.revocations).hasToString("InMemoryRevocationList[entries=0]");
	}

}
