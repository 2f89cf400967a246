package dev.atrium.e2e.auth;

import dev.atrium.testsupport.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.IdeOAuthClient;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.KeycloakServer;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.testsupport.CognitoUserPool;
import dev.atrium.testsupport.LocalJwksServer;
import dev.atrium.e2e.support.JavaSdkUpstream.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's delegation flow: a user's token from a real Keycloak (signed in as an IDE
 * does) and an agent's client-credentials token from a local Cognito pool are exchanged
 * at Atrium's STS for one composite token; a call with it reaches the target with signed
 * context headers, and neither original token nor the composite one ever reaches the
 * target.
 */
class DelegationEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String AGENT = "ai-agent-finance-001";

	private static final String AGENT_STS_SECRET = "agent-secret-at-the-sts-0123456789";

	private static final String TENANT = "acme-corp-12345";

	static KeycloakServer keycloak;

	static LocalJwksServer cognitoServer;

	/** Where agents get their client-credentials tokens, as in the seed. */
	static CognitoUserPool cognito;

	static JavaSdkUpstream upstream;

	/** A target that takes a token minted for it instead of context headers. */
	static JavaSdkUpstream ledger;

	static AtriumInstance atrium;

	static String mcpUrl;

	static String userToken;

	static String userSubject;

	@BeforeAll
	static void start() {
		keycloak = KeycloakServer.shared();
		registerTenantClaim();
		cognitoServer = LocalJwksServer.start();
		cognito = CognitoUserPool.start(cognitoServer, Clock.systemUTC());
		userSubject = userId(KeycloakServer.DEV_USER);
		upstream = JavaSdkUpstream.start();
		ledger = JavaSdkUpstream.start();
		int port = LoopbackPorts.free();
		String base = "http://127.0.0.1:" + port;
		mcpUrl = base + "/internal/mcp";
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", String.valueOf(port));
		properties.put("atrium.targets.finance.url", upstream.mcpUrl());
		properties.put("atrium.targets.ledger.url", ledger.mcpUrl());
		properties.put("atrium.targets.ledger.identity", "sts-token");
		properties.put("atrium.targets.ledger.audience", "https://ledger.example.com");
		properties.put("atrium.scenarios.internal.targets", "finance,ledger");
		properties.put("atrium.scenarios.internal.anonymous", "false");
		properties.put("atrium.scenarios.internal.issuers", "atrium-sts");
		// Where the user signs in, as an IDE does, to get the token the agent presents.
		properties.put("atrium.scenarios.ide.path", "/ide");
		properties.put("atrium.scenarios.ide.targets", "finance");
		properties.put("atrium.scenarios.ide.issuers", "keycloak");
		properties.put("atrium.issuers.keycloak.type", "keycloak");
		properties.put("atrium.issuers.keycloak.issuer-uri", keycloak.issuer());
		properties.put("atrium.issuers.cognito.type", "cognito");
		properties.put("atrium.issuers.cognito.issuer-uri", cognito.issuer());
		properties.put("atrium.issuers.cognito.scope-prefix", "atrium/");
		properties.put("atrium.sts.issuer", base + "/sts");
		properties.put("atrium.sts.key-secret", "e2e-sts-key-secret-shared-by-replicas-0123456789");
		properties.put("atrium.sts.audiences", mcpUrl);
		properties.put("atrium.sts.clients." + AGENT + ".secret", AGENT_STS_SECRET);
		properties.put("atrium.sts.clients." + AGENT + ".grant-types", "token-exchange");
		properties.put("atrium.sts.clients." + AGENT + ".agent.agent_type", "financial-assistant");
		properties.put("atrium.sts.clients." + AGENT + ".agent.version", "2.1.0");
		properties.put("atrium.sts.policies[0].name", "agent_delegation");
		// Keycloak's subjects are user ids: the policy names this user's.
		properties.put("atrium.sts.policies[0].subject-pattern", userSubject);
		properties.put("atrium.sts.policies[0].actor-pattern", "ai-agent-*");
		properties.put("atrium.sts.policies[0].allowed-scopes", "mcp:read,mcp:write:limited");
		properties.put("atrium.sts.policies[0].max-delegation-depth", "2");
		properties.put("atrium.sts.policies[0].compliance-level", "gdpr");
		properties.put("atrium.sts.policies[0].data-classification", "confidential");
		atrium = AtriumInstance.start(properties);
		try (IdeOAuthClient ide = new IdeOAuthClient()) {
			URI metadata = ide.challenge(URI.create(base + "/ide/mcp")).resourceMetadata();
			userToken = ide
				.authorize(metadata, "atrium-e2e-delegating-user", 53684, List.of("mcp:read", "mcp:write"),
						KeycloakServer.DEV_USER, KeycloakServer.DEV_PASSWORD)
				.tokens()
				.accessToken();
		}
		assertThat(claims(userToken).path("sub").asString()).isEqualTo(userSubject);
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (upstream != null) {
			upstream.close();
		}
		if (ledger != null) {
			ledger.close();
		}
		if (cognitoServer != null) {
			cognitoServer.close();
		}
	}

	@Test
	void anAgentActingForAUserReachesTheTargetWithSignedContextAndNoToken() throws Exception {
		String agentToken = cognito.clientCredentialsToken(AGENT, "atrium/mcp:read");
		HttpResponse<String> exchanged = exchange(userToken, agentToken);
		assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
		JsonNode issued = JSON.readTree(exchanged.body());
		String composite = issued.path("access_token").asString();
		assertThat(issued.path("scope").asString().split(" ")).containsExactlyInAnyOrder("mcp:read",
				"mcp:write:limited");

		Map<String, String> headers = Map.of("Authorization", "Bearer " + composite, "X-Tenant-ID", "evil-tenant",
				"X-User-Context", "forged", "X-Correlation-ID", "corr-e2e-67890");
		Mcp.Response initialized = Mcp.initialize(mcpUrl, headers);
		assertThat(initialized.status()).as(initialized.body()).isEqualTo(200);
		Mcp.Response called = Mcp.post(mcpUrl, initialized.sessionId(), """
				{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"finance___reverse",
				 "arguments":{"text":"abc"}}}""", headers);
		assertThat(called.json().path("result").path("content").get(0).path("text").asString()).isEqualTo("cba");

		RecordedRequest call = upstream.requests("tools/call").get(0);
		String everyHeader = call.headers().toString();
		assertThat(everyHeader).doesNotContain(userToken).doesNotContain(agentToken).doesNotContain(composite);
		assertThat(call.headers().keySet()).noneMatch((name) -> name.equalsIgnoreCase("Authorization"));
		assertThat(header(call, "X-Tenant-ID")).isEqualTo(TENANT);
		assertThat(header(call, "X-Correlation-ID")).isEqualTo("corr-e2e-67890");
		assertThat(header(call, "X-Request-ID")).isNotBlank();
		assertThat(decoded(header(call, "X-User-Context")).path("user_id").asString()).isEqualTo(userSubject);
		JsonNode actor = decoded(header(call, "X-Actor-Context"));
		assertThat(actor.path("sub").asString()).isEqualTo(AGENT);
		assertThat(actor.path("agent_type").asString()).isEqualTo("financial-assistant");
		assertThat(decoded(header(call, "X-Delegation-Chain")).get(0).path("delegate").asString()).isEqualTo(AGENT);
		assertThat(decoded(header(call, "X-Business-Context")).path("compliance_level").asString()).isEqualTo("gdpr");

		JWTClaimsSet signed = verifySignedContext(header(call, "X-Atrium-Context"));
		assertThat(signed.getAudience()).containsExactly("finance");
		assertThat(signed.getSubject()).isEqualTo(userSubject);
		assertThat(signed.getStringClaim("tenant_id")).isEqualTo(TENANT);
		assertThat(signed.getJSONObjectClaim("act")).containsEntry("sub", AGENT);
		// One signature per caller and target (ADR 20): the per-request ids are not in
		// it.
		assertThat(signed.getClaims()).doesNotContainKeys("request_id", "correlation_id");
	}

	@Test
	void aTargetThatTakesTokensGetsOneMintedForItsAudienceOnly() throws Exception {
		String agentToken = cognito.clientCredentialsToken(AGENT, "atrium/mcp:read");
		String composite = JSON.readTree(exchange(userToken, agentToken).body()).path("access_token").asString();
		Map<String, String> headers = Map.of("Authorization", "Bearer " + composite);
		Mcp.Response initialized = Mcp.initialize(mcpUrl, headers);
		Mcp.Response called = Mcp.post(mcpUrl, initialized.sessionId(), """
				{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ledger___reverse",
				 "arguments":{"text":"xyz"}}}""", headers);
		assertThat(called.json().path("result").path("content").get(0).path("text").asString()).isEqualTo("zyx");

		RecordedRequest call = ledger.requests("tools/call").get(0);
		String authorization = header(call, "Authorization");
		assertThat(authorization).startsWith("Bearer ");
		String minted = authorization.substring("Bearer ".length());
		assertThat(minted).isNotEqualTo(composite).isNotEqualTo(userToken).isNotEqualTo(agentToken);
		assertThat(header(call, "X-User-Context")).isNull();
		JWTClaimsSet claims = verify(minted, "at+jwt");
		assertThat(claims.getAudience()).containsExactly("https://ledger.example.com");
		assertThat(claims.getSubject()).isEqualTo(userSubject);
		assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", AGENT);
		assertThat(claims.getStringClaim("tenant_id")).isEqualTo(TENANT);
	}

	@Test
	void aRevokedCompositeTokenIsRefusedAtTheGateway() {
		String agentToken = cognito.clientCredentialsToken(AGENT, "atrium/mcp:read");
		String composite = JSON.readTree(exchange(userToken, agentToken).body()).path("access_token").asString();
		Map<String, String> headers = Map.of("Authorization", "Bearer " + composite);
		assertThat(Mcp.initialize(mcpUrl, headers).status()).isEqualTo(200);

		HttpResponse<String> revoked = post(atrium.baseUrl() + "/sts/oauth2/revoke", Map.of("token", composite),
				AGENT_STS_SECRET);
		assertThat(revoked.statusCode()).isEqualTo(200);

		Mcp.Response refused = Mcp.initialize(mcpUrl, headers);
		assertThat(refused.status()).isEqualTo(401);
	}

	@Test
	void aUserTokenAloneIsNotAcceptedWhereOnlyTheStsIsTrusted() {
		assertThat(Mcp.initialize(mcpUrl, Map.of("Authorization", "Bearer " + userToken)).status()).isEqualTo(401);
	}

	@Test
	void anAgentCannotPresentAnotherAgentsTokenAsActor() {
		HttpResponse<String> exchanged = exchange(userToken, userToken);

		assertThat(exchanged.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(exchanged.body()).path("error").asString()).isEqualTo("invalid_grant");
	}

	private static HttpResponse<String> exchange(String subjectToken, String actorToken) {
		return post(atrium.baseUrl() + "/sts/oauth2/token",
				Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", subjectToken,
						"subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "actor_token",
						actorToken, "actor_token_type", "urn:ietf:params:oauth:token-type:access_token", "audience",
						mcpUrl),
				AGENT_STS_SECRET);
	}

	private static JWTClaimsSet verifySignedContext(String jws) throws Exception {
		return verify(jws, "atrium-context+jwt");
	}

	private static JWTClaimsSet verify(String jws, String type) throws Exception {
		HttpResponse<String> jwks = HTTP.send(
				HttpRequest.newBuilder(URI.create(atrium.baseUrl() + "/sts/jwks")).build(),
				HttpResponse.BodyHandlers.ofString());
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(type)));
		processor.setJWSKeySelector(
				new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(JWKSet.parse(jwks.body()))));
		return processor.process(jws, null);
	}

	private static String header(RecordedRequest request, String name) {
		return request.headers()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.map((entry) -> entry.getValue().get(0))
			.findFirst()
			.orElse(null);
	}

	private static JsonNode decoded(String base64Json) {
		assertThat(base64Json).isNotNull();
		return JSON.readTree(Base64.getUrlDecoder().decode(base64Json));
	}

	private static JsonNode claims(String jwt) {
		return decoded(jwt.split("\\.")[1]);
	}

	/**
	 * A tenant in the users' tokens: a hard-coded claim on the mcp:read scope, as a
	 * Keycloak mapper would read it from the user's attributes.
	 */
	private static void registerTenantClaim() {
		String scopeId = null;
		for (JsonNode scope : JSON
			.readTree(keycloak.admin("GET", KeycloakServer.REALM + "/client-scopes", null).body())) {
			if ("mcp:read".equals(scope.path("name").asString())) {
				scopeId = scope.path("id").asString();
			}
		}
		String mappers = KeycloakServer.REALM + "/client-scopes/" + scopeId + "/protocol-mappers/models";
		if (keycloak.admin("GET", mappers, null).body().contains("\"tenant_id\"")) {
			return;
		}
		ObjectNode tenant = JSON.createObjectNode()
			.put("name", "tenant")
			.put("protocol", "openid-connect")
			.put("protocolMapper", "oidc-hardcoded-claim-mapper");
		tenant.putObject("config")
			.put("claim.name", "tenant_id")
			.put("claim.value", TENANT)
			.put("jsonType.label", "String")
			.put("access.token.claim", "true");
		assertThat(keycloak.admin("POST", mappers, tenant).statusCode()).isEqualTo(201);
	}

	private static String userId(String username) {
		JsonNode users = JSON.readTree(
				keycloak.admin("GET", KeycloakServer.REALM + "/users?exact=true&username=" + username, null).body());
		return users.get(0).path("id").asString();
	}

	private static HttpResponse<String> post(String url, Map<String, String> form, String agentSecret) {
		String body = form.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (agentSecret != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((AGENT + ":" + agentSecret).getBytes(StandardCharsets.UTF_8)));
		}
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
