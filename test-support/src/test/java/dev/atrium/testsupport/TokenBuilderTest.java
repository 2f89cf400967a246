package dev.atrium.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TokenBuilderTest {

	private final SigningKey key = SigningKey.ec256("k1");

	@Test
	void keepsOrderAndReplacesInPlace() {
		TokenBuilder token = builder().claim("b", "changed").claim("d", 4);
		assertThat(token.claims().keySet()).containsExactly("a", "b", "c", "d");
		assertThat(token.claims()).containsEntry("b", "changed");
	}

	@Test
	void claimAfterInsertsAfterTheAnchorOrLast() {
		assertThat(builder().claimAfter("a", "x", 1).claims().keySet()).containsExactly("a", "x", "b", "c");
		assertThat(builder().claimAfter("a", "c", 1).claims().keySet()).containsExactly("a", "c", "b");
		assertThat(builder().claimAfter("missing", "x", 1).claims().keySet()).containsExactly("a", "b", "c", "x");
	}

	@Test
	void instantsBecomeEpochSeconds() {
		Instant at = Instant.parse("2026-01-01T00:00:00.900Z");
		assertThat(builder().issuedAt(at).expiresAt(at).notBefore(at).claims())
			.containsEntry("iat", at.getEpochSecond())
			.containsEntry("exp", at.getEpochSecond())
			.containsEntry("nbf", at.getEpochSecond());
	}

	@Test
	void signsWithTheKeyAndHeaderAlgorithm() throws Exception {
		String token = builder().sign();
		JWSObject jws = JWSObject.parse(token);
		assertThat(jws.getHeader().getKeyID()).isEqualTo("k1");
		assertThat(jws.verify(new ECDSAVerifier((ECKey) this.key.publicJwk()))).isTrue();
		assertThat(jws.getPayload().toString()).isEqualTo("{\"a\":1,\"b\":\"two\",\"c\":[true,null]}");
	}

	@Test
	void signWithSetsKidAndAlgButLaterHeadersWin() throws Exception {
		SigningKey other = SigningKey.ec256("k2");
		String token = builder().signWith(other).header("kid", "k1").sign();
		JWSObject jws = JWSObject.parse(token);
		assertThat(jws.getHeader().getKeyID()).isEqualTo("k1");
		assertThat(jws.verify(new ECDSAVerifier((ECKey) this.key.publicJwk()))).isFalse();
		assertThat(jws.verify(new ECDSAVerifier((ECKey) other.publicJwk()))).isTrue();
	}

	@Test
	void copiesAreIndependent() {
		TokenBuilder original = builder();
		original.copy().claim("a", 99).withoutHeader("kid");
		assertThat(original.claims()).containsEntry("a", 1);
		assertThat(original.headers()).containsKey("kid");
	}

	@Test
	void unsignedHasAnEmptyThirdSegment() {
		String token = builder().header("alg", "none").unsigned();
		assertThat(token).endsWith(".").matches("[\\w-]+\\.[\\w-]+\\.");
		assertThat(new Base64URL(token.split("\\.")[0]).decodeToString())
			.isEqualTo("{\"alg\":\"none\",\"kid\":\"k1\"}");
	}

	@Test
	void hmacSignsWithTheGivenSecret() throws Exception {
		byte[] secret = "a-secret-of-at-least-thirty-two-bytes!".getBytes(StandardCharsets.US_ASCII);
		String token = builder().header("alg", "HS256").signWithHmac(secret);
		assertThat(JWSObject.parse(token).verify(new MACVerifier(secret))).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> builder().signWithHmac(secret));
	}

	@Test
	void refusesToSignWithoutAnAlgorithm() {
		assertThatIllegalStateException().isThrownBy(() -> builder().withoutHeader("alg").sign());
	}

	@Test
	void publicKeyEncodingsForKeyConfusion() {
		SigningKey rsa = SigningKey.rsa("r");
		assertThat(rsa.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\nMIIBIjAN")
			.endsWith("\n-----END PUBLIC KEY-----\n");
		assertThat(rsa.publicKeyPem().lines().skip(1).findFirst().orElseThrow()).hasSize(64);
		assertThat(rsa.publicKeyDer()).hasSize(294);
	}

	private TokenBuilder builder() {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "ES256");
		header.put("kid", "k1");
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("a", 1);
		claims.put("b", "two");
		claims.put("c", Arrays.asList(true, null));
		return TokenBuilder.of(header, claims, this.key);
	}

	@Test
	void jsonEscapesWhatJsonRequiresOnly() {
		assertThat(Json.write(Map.of("k", "a\"b\\c\n\u0001/=+"))).isEqualTo("{\"k\":\"a\\\"b\\\\c\\n\\u0001/=+\"}");
		assertThat(Json.write(List.of(1, 2.5, false, "x"))).isEqualTo("[1,2.5,false,\"x\"]");
	}

}
