package dev.atrium.sts.context;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.token.SignedTokenMinter;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContextHeadersTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

	private final StsKeyRing keys = new StsKeyRing(
			"context-headers-tests-secret-0123456789-0123".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
			Duration.ofMinutes(6), this.clock);

	private final ContextHeaders headers = new ContextHeaders("https://atrium.test/sts",
			new SignedTokenMinter(this.keys, ContextHeaders.SIGNED_TYPE), this.clock);

	private final CallerContext alice = CallerContext
		.of(Map.of("sub", "alice", "tenant_id", "acme", "email", "alice@acme.test"));

	@Test
	void signedContextNamesTheCallerAndTheTargetAndVerifiesWithTheStsKeys() throws Exception {
		Map<String, String> sent = this.headers.forTarget("billing", this.alice, "req-1", "corr-1");

		SignedJWT signed = SignedJWT.parse(sent.get(ContextHeaders.SIGNED));
		assertThat(signed.verify(new ECDSAVerifier(this.keys.signingKey().toECPublicKey()))).isTrue();
		assertThat(signed.getHeader().getType()).isEqualTo(ContextHeaders.SIGNED_TYPE);
		JWTClaimsSet claims = signed.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.getAudience()).containsExactly("billing");
		assertThat(claims.getStringClaim("tenant_id")).isEqualTo("acme");
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(this.clock.instant().plusSeconds(60));
		assertThat(sent).containsEntry(ContextHeaders.TENANT, "acme")
			.containsEntry(ContextHeaders.REQUEST_ID, "req-1")
			.containsEntry(ContextHeaders.CORRELATION_ID, "corr-1");
	}

	@Test
	void oneSignaturePerCallerAndTargetServesTheirRequestsForHalfItsLifetime() {
		String first = this.headers.forTarget("billing", this.alice, "req-1", "corr-1").get(ContextHeaders.SIGNED);
		this.clock.advance(Duration.ofSeconds(29));
		Map<String, String> second = this.headers.forTarget("billing", this.alice, "req-2", "corr-2");

		assertThat(second.get(ContextHeaders.SIGNED)).isEqualTo(first);
		assertThat(second).containsEntry(ContextHeaders.REQUEST_ID, "req-2")
			.containsEntry(ContextHeaders.CORRELATION_ID, "corr-2");

		this.clock.advance(Duration.ofSeconds(1));
		String renewed = this.headers.forTarget("billing", this.alice, "req-3", "corr-3").get(ContextHeaders.SIGNED);
		assertThat(renewed).isNotEqualTo(first);
	}

	@Test
	void anotherTargetOrAnotherCallerNeverGetsTheSameSignedContext() throws Exception {
		CallerContext bob = CallerContext.of(Map.of("sub", "bob", "tenant_id", "acme"));
		String billing = this.headers.forTarget("billing", this.alice, "r", "c").get(ContextHeaders.SIGNED);
		String crm = this.headers.forTarget("crm", this.alice, "r", "c").get(ContextHeaders.SIGNED);
		String forBob = this.headers.forTarget("billing", bob, "r", "c").get(ContextHeaders.SIGNED);

		assertThat(List.of(billing, crm, forBob)).doesNotHaveDuplicates();
		assertThat(SignedJWT.parse(crm).getJWTClaimsSet().getAudience()).containsExactly("crm");
		assertThat(SignedJWT.parse(forBob).getJWTClaimsSet().getSubject()).isEqualTo("bob");
	}

}
