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
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OidcIssuerTest {

	private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private final LocalJwksServer server = LocalJwksServer.start(CLOCK);

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void defaultsLookLikeAKeycloakRealm() throws Exception {
		OidcIssuer issuer = OidcIssuer.start(this.server, CLOCK);
		assertThat(issuer.issuer()).isEqualTo(this.server.origin() + "/realms/atrium");
		assertThat(issuer.jwksUri()).hasToString(issuer.issuer() + "/protocol/openid-connect/certs");
		SignedJWT jwt = SignedJWT.parse(issuer.accessTokenFor("user-1", "mcp:read", "mcp:write"));
		Map<String, Object> header = JSONObjectUtils.parse(jwt.getHeader().getParsedBase64URL().decodeToString());
		assertThat(header.keySet()).containsExactly("alg", "typ", "kid");
		assertThat(header).containsEntry("alg", "RS256").containsEntry("typ", "at+jwt");
		Map<String, Object> claims = JSONObjectUtils.parse(jwt.getPayload().toString());
		assertThat(claims.keySet()).containsExactly("exp", "iat", "nbf", "jti", "iss", "aud", "sub", "typ", "azp",
				"client_id", "scope");
		assertThat(claims).containsEntry("iss", issuer.issuer())
			.containsEntry("aud", "atrium-gateway")
			.containsEntry("sub", "user-1")
			.containsEntry("typ", "Bearer")
			.containsEntry("azp", "atrium-agent")
			.containsEntry("client_id", "atrium-agent")
			.containsEntry("scope", "mcp:read mcp:write")
			.containsEntry("iat", NOW.getEpochSecond())
			.containsEntry("nbf", NOW.getEpochSecond())
			.containsEntry("exp", NOW.plus(Duration.ofMinutes(5)).getEpochSecond());
		// Keycloak-style key ids: the RFC 7638 thumbprint.
		assertThat(jwt.getHeader().getKeyID())
			.isEqualTo(issuer.accessTokenKey().publicJwk().computeThumbprint().toString());
	}

	@Test
	void rs256TokensVerifyWithAtJwtType() throws Exception {
		OidcIssuer issuer = OidcIssuer.start(this.server, CLOCK);
		JWTClaimsSet claims = StrictVerifier.forOidc(issuer, Duration.ofSeconds(60), "at+jwt")
			.verify(issuer.validAccessToken().sign());
		assertThat(claims.getSubject()).isEqualTo(OidcIssuer.DEFAULT_SUBJECT);
		assertThat(claims.getAudience()).containsExactly("atrium-gateway");
	}

	@Test
	void es256TokensWithJwtTypeAndSeveralAudiences() throws Exception {
		OidcIssuer issuer = OidcIssuer.builder(this.server, CLOCK)
			.path("/oidc")
			.algorithm(JWSAlgorithm.ES256)
			.tokenType("JWT")
			.audiences("atrium-gateway", "billing")
			.clientId("cli")
			.lifetime(Duration.ofMinutes(1))
			.defaultClaim("tenant", "acme")
			.build();
		String token = issuer.accessToken("svc").claim("roles", List.of("a", "b")).sign();
		JWTClaimsSet claims = StrictVerifier.forOidc(issuer, Duration.ofSeconds(60), "JWT").verify(token);
		assertThat(claims.getAudience()).containsExactly("atrium-gateway", "billing");
		assertThat(claims.getClaim("tenant")).isEqualTo("acme");
		assertThat(claims.getStringListClaim("roles")).containsExactly("a", "b");
		assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		JWKSet jwks = JWKSet.parse(fetch(issuer.jwksUri()));
		assertThat(jwks.getKeys()).singleElement().isInstanceOf(ECKey.class);
	}

	@Test
	void tokensCanCarryNoType() throws Exception {
		OidcIssuer issuer = OidcIssuer.builder(this.server, CLOCK).tokenType(null).build();
		SignedJWT jwt = SignedJWT.parse(issuer.validAccessToken().sign());
		assertThat(jwt.getHeader().getType()).isNull();
		assertThat(jwt.getHeader().toJSONObject()).doesNotContainKey("typ");
	}

	@Test
	void servesOidcDiscoveryAndRfc8414Metadata() throws Exception {
		OidcIssuer issuer = OidcIssuer.start(this.server, CLOCK);
		Map<String, Object> oidc = JSONObjectUtils.parse(fetch(issuer.discoveryUri()));
		assertThat(issuer.discoveryUri()).hasToString(issuer.issuer() + "/.well-known/openid-configuration");
		assertThat(oidc).containsEntry("issuer", issuer.issuer())
			.containsEntry("jwks_uri", issuer.jwksUri().toString())
			.containsKeys("subject_types_supported", "id_token_signing_alg_values_supported");
		// RFC 8414 section 3.1: the well-known segment goes between host and issuer path.
		assertThat(issuer.authorizationServerMetadataUri())
			.hasToString(this.server.origin() + "/.well-known/oauth-authorization-server/realms/atrium");
		Map<String, Object> oauth = JSONObjectUtils.parse(fetch(issuer.authorizationServerMetadataUri()));
		assertThat(oauth).containsEntry("issuer", issuer.issuer())
			.containsEntry("jwks_uri", issuer.jwksUri().toString())
			.doesNotContainKey("subject_types_supported");
	}

	@Test
	void discoveryDocumentsCanBeSwitchedOff() throws Exception {
		OidcIssuer issuer = OidcIssuer.builder(this.server, CLOCK)
			.path("/bare")
			.oidcDiscovery(false)
			.authorizationServerMetadata(false)
			.build();
		try (HttpClient client = HttpClient.newHttpClient()) {
			assertThat(client
				.send(HttpRequest.newBuilder(issuer.discoveryUri()).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode()).isEqualTo(404);
		}
	}

	@Test
	void rotatesToAnotherAlgorithmAndRetires() throws Exception {
		OidcIssuer issuer = OidcIssuer.start(this.server, CLOCK);
		SigningKey first = issuer.accessTokenKey();
		SigningKey second = issuer.rotateKey(JWSAlgorithm.ES256);
		assertThat(issuer.publishedKeyIds()).containsExactly(first.kid(), second.kid());
		assertThat(SignedJWT.parse(issuer.validAccessToken().sign()).getHeader().getAlgorithm())
			.isEqualTo(JWSAlgorithm.ES256);
		issuer.retireKey(first.kid());
		assertThat(issuer.publishedKeyIds()).containsExactly(second.kid());
		assertThat(issuer.retiredKeys()).containsExactly(first);
		assertThatIllegalArgumentException().isThrownBy(() -> issuer.rotateKey(JWSAlgorithm.HS256));
	}

	@Test
	void pathsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> OidcIssuer.builder(this.server, CLOCK).path("/slash/"));
		assertThatIllegalArgumentException().isThrownBy(() -> OidcIssuer.builder(this.server, CLOCK).path("relative"));
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
