package dev.atrium.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CognitoUserPoolTest {

	private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private final LocalJwksServer server = LocalJwksServer.start(CLOCK);

	private final CognitoUserPool pool = CognitoUserPool.start(this.server, CLOCK);

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void issuerMirrorsTheAwsOne() {
		assertThat(this.pool.region()).isEqualTo("us-east-1");
		assertThat(this.pool.userPoolId()).isEqualTo("us-east-1_AtriumTest");
		assertThat(this.pool.issuer()).isEqualTo("http://127.0.0.1:" + this.server.port() + "/us-east-1_AtriumTest");
		assertThat(this.pool.awsIssuer()).isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AtriumTest");
		assertThat(this.pool.jwksUri()).hasToString(this.pool.issuer() + "/.well-known/jwks.json");
		assertThat(this.pool.discoveryUri()).hasToString(this.pool.issuer() + "/.well-known/openid-configuration");
	}

	@Test
	void regionAndPoolAreConfigurable() {
		CognitoUserPool paris = CognitoUserPool.builder(this.server, CLOCK).region("eu-west-3").build();
		assertThat(paris.userPoolId()).isEqualTo("eu-west-3_AtriumTest");
		CognitoUserPool other = CognitoUserPool.builder(this.server, CLOCK)
			.region("eu-west-3")
			.userPoolId("eu-west-3_Xy12Ab34C")
			.build();
		assertThat(other.issuer()).endsWith("/eu-west-3_Xy12Ab34C");
		assertThat(other.awsIssuer()).isEqualTo("https://cognito-idp.eu-west-3.amazonaws.com/eu-west-3_Xy12Ab34C");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CognitoUserPool.builder(this.server, CLOCK).userPoolId("eu-west-3_Mismatch").build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CognitoUserPool.builder(this.server, CLOCK).region("mars"));
	}

	@Test
	void discoveryDocumentNamesTheIssuerAndJwks() throws Exception {
		Map<String, Object> document = JSONObjectUtils.parse(fetch(this.pool.discoveryUri()));
		assertThat(document.keySet()).containsExactly("authorization_endpoint", "id_token_signing_alg_values_supported",
				"issuer", "jwks_uri", "response_types_supported", "scopes_supported", "subject_types_supported",
				"token_endpoint", "token_endpoint_auth_methods_supported", "userinfo_endpoint");
		assertThat(document).containsEntry("issuer", this.pool.issuer())
			.containsEntry("jwks_uri", this.pool.jwksUri().toString())
			.containsEntry("id_token_signing_alg_values_supported", List.of("RS256"));
	}

	@Test
	void jwksHoldsTwoCognitoShapedRsaKeys() throws Exception {
		String body = fetch(this.pool.jwksUri());
		List<Object> keys = JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(body), "keys");
		assertThat(keys).hasSize(2);
		for (Object member : keys) {
			@SuppressWarnings("unchecked")
			Map<String, Object> jwk = (Map<String, Object>) member;
			assertThat(jwk.keySet()).containsExactly("kid", "alg", "kty", "e", "n", "use");
			assertThat(jwk).containsEntry("alg", "RS256").containsEntry("kty", "RSA").containsEntry("use", "sig");
			assertThat((String) jwk.get("kid")).matches("[A-Za-z0-9+/]{43}=");
		}
		JWKSet set = JWKSet.parse(body);
		assertThat(set.getKeys()).extracting(JWK::getKeyID)
			.containsExactly(this.pool.accessTokenKey().kid(), this.pool.idTokenKey().kid());
		assertThat(((RSAKey) set.getKeys().get(0)).size()).isEqualTo(2048);
	}

	@Test
	void clientCredentialsTokenHasCognitosExactShape() throws Exception {
		String clientId = CognitoUserPool.newClientId();
		String token = this.pool.clientCredentialsToken(clientId, "atrium/mcp:read", "atrium/mcp:write");
		SignedJWT jwt = SignedJWT.parse(token);
		Map<String, Object> header = JSONObjectUtils.parse(jwt.getHeader().getParsedBase64URL().decodeToString());
		assertThat(header.keySet()).containsExactly("kid", "alg");
		assertThat(header).containsEntry("alg", "RS256").containsEntry("kid", this.pool.accessTokenKey().kid());
		Map<String, Object> claims = JSONObjectUtils.parse(jwt.getPayload().toString());
		assertThat(claims.keySet()).containsExactly("sub", "token_use", "scope", "auth_time", "iss", "exp", "iat",
				"version", "jti", "client_id");
		assertThat(claims).containsEntry("sub", clientId)
			.containsEntry("client_id", clientId)
			.containsEntry("token_use", "access")
			.containsEntry("scope", "atrium/mcp:read atrium/mcp:write")
			.containsEntry("iss", this.pool.issuer())
			.containsEntry("iat", NOW.getEpochSecond())
			.containsEntry("auth_time", NOW.getEpochSecond())
			.containsEntry("exp", NOW.plus(Duration.ofHours(1)).getEpochSecond())
			.containsEntry("version", 2L)
			.doesNotContainKey("aud");
		assertThat(clientId).matches("[a-z0-9]{26}");
	}

	@Test
	void clientCredentialsTokenVerifiesAgainstTheServedJwks() throws Exception {
		StrictVerifier verifier = StrictVerifier.forCognito(this.pool, Duration.ofSeconds(60));
		JWTClaimsSet claims = verifier.verify(this.pool.validAccessToken().sign());
		assertThat(claims.getSubject()).isEqualTo(this.pool.defaultClientId());
		assertThat(claims.getStringClaim("scope")).isEqualTo("atrium/mcp:read");
		verifier.verify(this.pool.validAccessToken().sign());
		// The JWKS was fetched once and cached for the second token.
		assertThat(this.server.requestCount(this.pool.jwksPath())).isEqualTo(1);
	}

	@Test
	void userAccessTokenFollowsTheDocumentedSample() throws Exception {
		CognitoUser alice = CognitoUser.named("alice").withGroups("admins", "beta");
		String token = this.pool.userAccessToken(alice, "client123", "openid", "atrium/mcp:read").sign();
		Map<String, Object> claims = JSONObjectUtils.parse(SignedJWT.parse(token).getPayload().toString());
		assertThat(claims.keySet()).containsExactly("sub", "cognito:groups", "iss", "version", "client_id",
				"origin_jti", "event_id", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username");
		assertThat(claims).containsEntry("sub", alice.sub())
			.containsEntry("username", "alice")
			.containsEntry("cognito:groups", List.of("admins", "beta"))
			.containsEntry("scope", "openid atrium/mcp:read");
		String sdkToken = this.pool.userAccessToken(CognitoUser.named("bob"), "client123").sign();
		Map<String, Object> sdkClaims = JSONObjectUtils.parse(SignedJWT.parse(sdkToken).getPayload().toString());
		assertThat(sdkClaims).containsEntry("scope", "aws.cognito.signin.user.admin")
			.doesNotContainKey("cognito:groups");
	}

	@Test
	void resourceBindingPutsAudAfterClientId() throws Exception {
		String token = this.pool
			.resourceBoundUserAccessToken(CognitoUser.named("alice"), "client123", "https://atrium.example/mcp")
			.sign();
		Map<String, Object> claims = JSONObjectUtils.parse(SignedJWT.parse(token).getPayload().toString());
		assertThat(List.copyOf(claims.keySet()).subList(2, 5)).containsExactly("version", "client_id", "aud");
		assertThat(claims).containsEntry("aud", "https://atrium.example/mcp");
	}

	@Test
	void signInGivesAnIdTokenBoundToTheAccessToken() throws Exception {
		CognitoUser alice = CognitoUser.named("alice");
		UserTokens tokens = this.pool.signIn(alice, "client123", "openid", "email");
		SignedJWT access = SignedJWT.parse(tokens.accessToken());
		SignedJWT id = SignedJWT.parse(tokens.idToken());
		Map<String, Object> idClaims = JSONObjectUtils.parse(id.getPayload().toString());
		assertThat(idClaims.keySet()).containsExactly("at_hash", "sub", "email_verified", "iss", "cognito:username",
				"origin_jti", "aud", "event_id", "token_use", "auth_time", "exp", "iat", "jti", "email");
		assertThat(idClaims).containsEntry("token_use", "id")
			.containsEntry("aud", "client123")
			.containsEntry("email", "alice@example.com")
			.containsEntry("cognito:username", "alice")
			.containsEntry("at_hash", CognitoUserPool.atHash(tokens.accessToken()));
		JWTClaimsSet accessClaims = access.getJWTClaimsSet();
		assertThat(idClaims.get("origin_jti")).isEqualTo(accessClaims.getClaim("origin_jti"));
		assertThat(idClaims.get("event_id")).isEqualTo(accessClaims.getClaim("event_id"));
		// Cognito signs ID and access tokens with different keys of the same JWKS.
		assertThat(id.getHeader().getKeyID()).isEqualTo(this.pool.idTokenKey().kid())
			.isNotEqualTo(access.getHeader().getKeyID());
	}

	@Test
	void atHashIsTheLeftHalfOfTheSha256() {
		// OIDC Core 3.1.3.6: 128 bits, base64url without padding, 22 characters.
		assertThat(CognitoUserPool.atHash("any.token.value")).hasSize(22).doesNotContain("=");
	}

	@Test
	void idTokenIsRefusedAsAnAccessToken() {
		StrictVerifier verifier = StrictVerifier.forCognito(this.pool, Duration.ofSeconds(60));
		String idToken = this.pool.signIn(CognitoUser.named("alice"), this.pool.defaultClientId()).idToken();
		assertThat(verifier.accepts(idToken)).isFalse();
	}

	@Test
	void builderOverridesAndRemovesClaimsAndHeaders() throws Exception {
		SigningKey other = SigningKey.rsaWithCognitoStyleKid();
		String token = this.pool.validAccessToken()
			.claim("scope", "atrium/admin")
			.withoutClaim("version")
			.claim("extra", List.of(1, 2))
			.signWith(other)
			.header("typ", "JWT")
			.sign();
		SignedJWT jwt = SignedJWT.parse(token);
		Map<String, Object> claims = JSONObjectUtils.parse(jwt.getPayload().toString());
		assertThat(claims.keySet()).containsExactly("sub", "token_use", "scope", "auth_time", "iss", "exp", "iat",
				"jti", "client_id", "extra");
		assertThat(claims).containsEntry("scope", "atrium/admin");
		assertThat(jwt.getHeader().getKeyID()).isEqualTo(other.kid());
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
		assertThat(jwt.verify(new RSASSAVerifier((RSAKey) other.publicJwk()))).isTrue();
	}

	@Test
	void rotationAddsAKeyAndRetirementRemovesIt() throws Exception {
		StrictVerifier verifier = StrictVerifier.forCognito(this.pool, Duration.ofSeconds(60));
		SigningKey old = this.pool.accessTokenKey();
		String oldToken = this.pool.validAccessToken().sign();
		SigningKey next = this.pool.rotateAccessTokenKey();
		assertThat(this.pool.publishedKeyIds()).containsExactly(old.kid(), this.pool.idTokenKey().kid(), next.kid());
		String newToken = this.pool.validAccessToken().sign();
		assertThat(SignedJWT.parse(newToken).getHeader().getKeyID()).isEqualTo(next.kid());
		// Graceful rotation: both verify while both are published.
		verifier.verify(oldToken);
		verifier.verify(newToken);
		assertThatIllegalStateException().isThrownBy(() -> this.pool.retireKey(next.kid()));
		this.pool.retireKey(old.kid());
		assertThat(this.pool.publishedKeyIds()).doesNotContain(old.kid());
		assertThat(this.pool.retiredKeys()).extracting(SigningKey::kid).containsExactly(old.kid());
		// A verifier that reads the JWKS now refuses what the retired key signed.
		StrictVerifier fresh = StrictVerifier.forCognito(this.pool, Duration.ofSeconds(60));
		assertThat(fresh.accepts(oldToken)).isFalse();
		assertThat(fresh.accepts(newToken)).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> this.pool.retireKey("no-such-kid"));
	}

	@Test
	void jwksFailureMakesVerificationFailClosed() {
		this.server.fail(this.pool.jwksPath(), EndpointFailure.serverError());
		StrictVerifier verifier = StrictVerifier.forCognito(this.pool, Duration.ofSeconds(60));
		assertThat(verifier.accepts(this.pool.validAccessToken().sign())).isFalse();
		assertThat(this.server.requestCount(this.pool.jwksPath())).isGreaterThanOrEqualTo(1);
	}

	@Test
	void lifetimesAreConfigurable() throws Exception {
		CognitoUserPool shortLived = CognitoUserPool.builder(this.server, CLOCK)
			.region("eu-west-1")
			.accessTokenLifetime(Duration.ofMinutes(5))
			.defaultClientId("fixedclient")
			.defaultScopes("atrium/a", "atrium/b")
			.build();
		JWTClaimsSet claims = SignedJWT.parse(shortLived.validAccessToken().sign()).getJWTClaimsSet();
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
		assertThat(claims.getStringClaim("client_id")).isEqualTo("fixedclient");
		assertThat(claims.getStringClaim("scope")).isEqualTo("atrium/a atrium/b");
	}

	@Test
	void signingKeysAreRs256() {
		assertThat(this.pool.accessTokenKey().algorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(this.pool.idTokenKey().algorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.pool.validAccessToken().header("alg", "ES256").sign());
	}

	private static String fetch(URI uri) throws Exception {
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
	}

}
