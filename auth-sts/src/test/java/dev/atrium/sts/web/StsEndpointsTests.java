package dev.atrium.sts.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.atrium.sts.client.StsClient;
import dev.atrium.sts.client.StsClient.Grant;
import dev.atrium.sts.client.StsClientAuthenticator;
import dev.atrium.sts.exchange.DelegationPolicy;
import dev.atrium.sts.exchange.Glob;
import dev.atrium.sts.exchange.Scopes;
import dev.atrium.sts.exchange.StsSettings;
import dev.atrium.sts.exchange.TokenExchangeProvider;
import dev.atrium.sts.exchange.TokenTypes;
import dev.atrium.sts.exchange.TokenVerifier.InvalidTokenException;
import dev.atrium.sts.exchange.VerifiedToken;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.InMemoryRevocationList;
import dev.atrium.sts.revocation.TokenRevoker;
import dev.atrium.sts.token.SignedTokenMinter;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

class StsEndpointsTests {

	private static final String ISSUER = "http://127.0.0.1:8080/sts";

	private static final String TOKEN_PATH = "/sts/oauth2/token";

	private final MutableClock clock = new MutableClock(Instant.now());

	private final StsKeyRing keys = new StsKeyRing(
			"endpoint-tests-secret-0123456789-0123456789".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
			Duration.ofMinutes(6), this.clock);

	private static final RSAKey AGENT_KEY = generateRsa();

	private final InMemoryRevocationList revocations = new InMemoryRevocationList(this.clock);

	private final WebTestClient client = WebTestClient.bindToRouterFunction(endpoints().routes()).build();

	@Test
	void metadataAdvertisesTheGrantsAndClientAuthenticationMethods() {
		this.client.get()
			.uri("/.well-known/oauth-authorization-server/sts")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.issuer")
			.isEqualTo(ISSUER)
			.jsonPath("$.token_endpoint")
			.isEqualTo(ISSUER + "/oauth2/token")
			.jsonPath("$.jwks_uri")
			.isEqualTo(ISSUER + "/jwks")
			.jsonPath("$.grant_types_supported")
			.value((grants) -> assertThat(grants.toString()).contains(TokenExchangeProviderGrant.EXCHANGE,
					"client_credentials"))
			.jsonPath("$.token_endpoint_auth_methods_supported")
			.value((methods) -> assertThat(methods.toString()).contains("client_secret_basic", "client_secret_post",
					"private_key_jwt"));
	}

	@Test
	void theKeySetHoldsOnlyPublicKeys() {
		String body = this.client.get()
			.uri("/sts/jwks")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).contains(this.keys.signingKey().getKeyID()).doesNotContain("\"d\"");
	}

	@Test
	void clientCredentialsWithBasicAuthenticationIssueAToken() throws Exception {
		Map<String, Object> body = this.client.post()
			.uri(TOKEN_PATH)
			.headers((headers) -> headers.setBasicAuth("user-alice", "alice-secret"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials").with("scope", "mcp:read"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).containsEntry("token_type", "Bearer").containsEntry("scope", "mcp:read");
		JWTClaimsSet claims = verified((String) body.get("access_token"));
		assertThat(claims.getSubject()).isEqualTo("user-alice");
		assertThat(claims.getIssuer()).isEqualTo(ISSUER);
	}

	@Test
	void clientCredentialsWithPostAuthenticationIssueAToken() {
		this.client.post()
			.uri(TOKEN_PATH)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials")
				.with("client_id", "user-alice")
				.with("client_secret", "alice-secret"))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void tokenExchangeWithPrivateKeyJwtIssuesACompositeToken() throws Exception {
		String user = clientCredentials("user-alice", "alice-secret");
		String agent = agentToken();

		Map<String, Object> body = exchange(user, agent, assertion()).expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();

		assertThat(body).containsEntry("issued_token_type", TokenTypes.ACCESS_TOKEN);
		JWTClaimsSet claims = verified((String) body.get("access_token"));
		assertThat(claims.getSubject()).isEqualTo("user-alice");
		assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", "ai-agent-1");
	}

	@Test
	void aReplayedClientAssertionIsRefused() throws Exception {
		String user = clientCredentials("user-alice", "alice-secret");
		String agent = agentToken();
		String assertion = assertion();
		exchange(user, agent, assertion).expectStatus().isOk();

		exchange(user, agent, assertion).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void anAssertionForAnotherAudienceIsRefused() throws Exception {
		String user = clientCredentials("user-alice", "alice-secret");
		exchange(user, agentToken(), assertion("https://other.example.com/token")).expectStatus().isUnauthorized();
	}

	@Test
	void aWrongSecretIsChallengedAsInvalidClient() {
		this.client.post()
			.uri(TOKEN_PATH)
			.headers((headers) -> headers.setBasicAuth("user-alice", "wrong"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"atrium-sts\"")
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client")
			.jsonPath("$.error_description")
			.isEqualTo("client authentication failed");
	}

	@Test
	void anUnknownClientGetsTheSameAnswerAsAWrongSecret() {
		this.client.post()
			.uri(TOKEN_PATH)
			.headers((headers) -> headers.setBasicAuth("nobody", "wrong"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error_description")
			.isEqualTo("client authentication failed");
	}

	@Test
	void aRequestWithoutClientAuthenticationIsRefused() {
		form(new LinkedMultiValueMap<>(Map.of("grant_type", List.of("client_credentials")))).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void aJsonBodyIsAnInvalidRequest() {
		this.client.post()
			.uri(TOKEN_PATH)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"grant_type\":\"client_credentials\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");
	}

	@Test
	void aRepeatedParameterIsAnInvalidRequest() {
		MultiValueMap<String, String> form = aliceForm("client_credentials");
		form.add("scope", "mcp:read");
		form.add("scope", "mcp:write");

		form(form).expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo("invalid_request");
	}

	@Test
	void anUnknownGrantTypeIsUnsupported() {
		form(aliceForm("password")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("unsupported_grant_type");
	}

	@Test
	void aResourceThatIsNotAnAbsoluteUriIsAnInvalidTarget() {
		MultiValueMap<String, String> form = aliceForm("client_credentials");
		form.add("resource", "/relative#fragment");

		form(form).expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo("invalid_target");
	}

	@Test
	void aClientRevokesItsOwnTokenAndTheDenyListHoldsIt() throws Exception {
		String token = clientCredentials("user-alice", "alice-secret");
		MultiValueMap<String, String> form = aliceForm(null);
		form.add("token", token);

		this.client.post()
			.uri("/sts/oauth2/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(this.revocations.isRevoked(verified(token).getJWTID()).block()).isTrue();
	}

	@Test
	void aClientCannotRevokeAnotherClientsToken() throws Exception {
		String token = agentToken();
		MultiValueMap<String, String> form = aliceForm(null);
		form.add("token", token);

		this.client.post()
			.uri("/sts/oauth2/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("unauthorized_client");
		assertThat(this.revocations.isRevoked(verified(token).getJWTID()).block()).isFalse();
	}

	@Test
	void revokingSomethingThatIsNotATokenIsNotAnError() {
		MultiValueMap<String, String> form = aliceForm(null);
		form.add("token", "not-a-token");

		this.client.post()
			.uri("/sts/oauth2/revoke")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private WebTestClient.ResponseSpec exchange(String subject, String actor, String assertion) {
		return this.client.post()
			.uri(TOKEN_PATH)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", TokenExchangeProviderGrant.EXCHANGE)
				.with("subject_token", subject)
				.with("subject_token_type", TokenTypes.ACCESS_TOKEN)
				.with("actor_token", actor)
				.with("actor_token_type", TokenTypes.ACCESS_TOKEN)
				.with("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
				.with("client_assertion", assertion))
			.exchange();
	}

	private WebTestClient.ResponseSpec form(MultiValueMap<String, String> form) {
		return this.client.post()
			.uri(TOKEN_PATH)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.exchange();
	}

	private static MultiValueMap<String, String> aliceForm(String grantType) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		if (grantType != null) {
			form.add("grant_type", grantType);
		}
		form.add("client_id", "user-alice");
		form.add("client_secret", "alice-secret");
		return form;
	}

	private String clientCredentials(String clientId, String secret) {
		return accessToken(this.client.post()
			.uri(TOKEN_PATH)
			.headers((headers) -> headers.setBasicAuth(clientId, secret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials"))
			.exchange());
	}

	private String agentToken() throws Exception {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		form.add("client_assertion", assertion());
		return accessToken(form(form));
	}

	private static String accessToken(WebTestClient.ResponseSpec response) {
		Map<?, ?> body = response.expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
		return (String) body.get("access_token");
	}

	private String assertion() throws Exception {
		return assertion(ISSUER + "/oauth2/token");
	}

	private String assertion(String audience) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("ai-agent-1")
			.subject("ai-agent-1")
			.audience(audience)
			.jwtID(UUID.randomUUID().toString())
			.expirationTime(Date.from(Instant.now().plusSeconds(60)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(AGENT_KEY.getKeyID()).build(),
				claims);
		jwt.sign(new RSASSASigner(AGENT_KEY));
		return jwt.serialize();
	}

	private JWTClaimsSet verified(String token) throws Exception {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(
				new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(SignedTokenMinter.ACCESS_TOKEN));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, this.keys.jwkSource()));
		return processor.process(token, null);
	}

	private Mono<VerifiedToken> verify(String token) {
		try {
			JWTClaimsSet claims = verified(token);
			Set<String> scopes = new HashSet<>(Scopes.parse(claims.getStringClaim("scope")));
			return Mono.just(new VerifiedToken("atrium-sts", claims.toJSONObject(), scopes));
		}
		catch (Exception ex) {
			return Mono.error(new InvalidTokenException("not an STS token", ex));
		}
	}

	private StsEndpoints endpoints() {
		StsSettings settings = new StsSettings(ISSUER, Duration.ofMinutes(5), List.of("https://gateway.example"),
				"https://gateway.example");
		List<StsClient> clients = List.of(
				new StsClient("user-alice", "alice-secret", null, Set.of(Grant.CLIENT_CREDENTIALS),
						List.of("mcp:read", "mcp:write"), "tenant-a", null, Map.of()),
				new StsClient("ai-agent-1", null, new JWKSet(AGENT_KEY.toPublicJWK()),
						Set.of(Grant.CLIENT_CREDENTIALS, Grant.TOKEN_EXCHANGE), List.of(), null, null, Map.of()));
		TokenExchangeProvider provider = new TokenExchangeProvider(settings,
				List.of(new DelegationPolicy("agent_delegation", Glob.of("user-*"), Glob.of("ai-agent-*"),
						List.of("mcp:read"), 1, false, null, null)),
				this::verify, new SignedTokenMinter(this.keys, SignedTokenMinter.ACCESS_TOKEN), this.clock);
		return new StsEndpoints(ISSUER,
				new StsClientAuthenticator(clients, ISSUER, StsEndpoints.tokenEndpoint(ISSUER), this.clock), provider,
				new TokenRevoker(this.keys, ISSUER, this.revocations), this.keys);
	}

	private static RSAKey generateRsa() {
		try {
			return new RSAKeyGenerator(2048).keyID("agent-key-1").generate();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final class TokenExchangeProviderGrant {

		static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	}

}
