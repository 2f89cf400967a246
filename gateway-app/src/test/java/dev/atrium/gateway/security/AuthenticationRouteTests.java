package dev.atrium.gateway.security;

import java.nio.file.Files;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.atrium.gateway.McpRequests;
import dev.atrium.observability.audit.AuditJournal;
import dev.atrium.testsupport.CognitoUser;
import dev.atrium.testsupport.CognitoUserPool;
import dev.atrium.testsupport.EndpointFailure;
import dev.atrium.testsupport.LocalJwksServer;
import dev.atrium.testsupport.SigningKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate in front of a scenario, on a running Atrium whose consumer scenario trusts a
 * local issuer with Cognito's formats, and whose internal scenario stays anonymous.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthenticationRouteTests {

	private static final String CLIENT = "bff-app";

	static final LocalJwksServer jwks = LocalJwksServer.start();

	static final CognitoUserPool pool = CognitoUserPool.start(jwks, Clock.systemUTC());

	static final LocalJwksServer flakyJwks = LocalJwksServer.start();

	static final CognitoUserPool flakyPool = CognitoUserPool.builder(flakyJwks, Clock.systemUTC())
		.userPoolId("us-east-1_Flaky")
		.build();

	static final LocalJwksServer otherJwks = LocalJwksServer.start();

	static final CognitoUserPool otherPool = CognitoUserPool.builder(otherJwks, Clock.systemUTC())
		.userPoolId("us-east-1_Other")
		.build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	AuditJournal journal;

	WebTestClient client;

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		registry.add("atrium.issuers.cognito.type", () -> "cognito");
		registry.add("atrium.issuers.cognito.issuer-uri", pool::issuer);
		registry.add("atrium.issuers.cognito.jwks-uri", () -> pool.jwksUri().toString());
		registry.add("atrium.issuers.cognito.clients", () -> CLIENT + ",other-app");
		registry.add("atrium.issuers.cognito.scope-prefix", () -> "atrium/");
		registry.add("atrium.issuers.other.type", () -> "cognito");
		registry.add("atrium.issuers.other.issuer-uri", otherPool::issuer);
		registry.add("atrium.issuers.other.jwks-uri", () -> otherPool.jwksUri().toString());
		registry.add("atrium.issuers.flaky.type", () -> "cognito");
		registry.add("atrium.issuers.flaky.issuer-uri", flakyPool::issuer);
		registry.add("atrium.issuers.flaky.jwks-uri", () -> flakyPool.jwksUri().toString());
		registry.add("atrium.scenarios.third-party.anonymous", () -> "false");
		registry.add("atrium.scenarios.third-party.issuers", () -> "flaky");
		registry.add("atrium.scenarios.consumer.anonymous", () -> "false");
		registry.add("atrium.scenarios.consumer.issuers", () -> "cognito");
		registry.add("atrium.scenarios.enterprise.anonymous", () -> "false");
		registry.add("atrium.scenarios.enterprise.issuers", () -> "other");
		registry.add("atrium.scenarios.internal.anonymous", () -> "true");
		registry.add("atrium.scenarios.internal.issuers", () -> "");
	}

	@AfterAll
	static void stopIssuers() {
		jwks.close();
		otherJwks.close();
		flakyJwks.close();
	}

	@BeforeEach
	void client() {
		this.client = McpRequests.client(this.port);
	}

	@Test
	void aRequestWithoutTokenIsSentToTheResourceMetadata() {
		McpRequests.post(this.client, "/consumer/mcp", null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Bearer scope=\"mcp:read\", resource_metadata=\"http://127.0.0.1:"
					+ this.port + "/.well-known/oauth-protected-resource/consumer/mcp\"");
	}

	@Test
	void theResourceMetadataNamesTheScenariosAuthorizationServers() {
		this.client.get()
			.uri("/.well-known/oauth-protected-resource/consumer/mcp")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.resource")
			.isEqualTo("http://127.0.0.1:" + this.port + "/consumer/mcp")
			.jsonPath("$.authorization_servers[0]")
			.isEqualTo(pool.issuer())
			.jsonPath("$.scopes_supported")
			.value((scopes) -> assertThat(scopes.toString()).contains("mcp:read", "mcp:write"))
			.jsonPath("$.bearer_methods_supported[0]")
			.isEqualTo("header");
		this.client.get()
			.uri("/.well-known/oauth-protected-resource/internal/mcp")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void aReaderListsButMayNotCallAndIsToldWhichScopeToAskFor() {
		String token = pool.clientCredentialsToken(CLIENT, "atrium/mcp:read");
		String session = initialize(token);
		post(token, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").expectStatus().isOk();
		post(token, session,
				"""
						{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"demo___echo","arguments":{"message":"x"}}}""")
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.value("WWW-Authenticate",
					(challenge) -> assertThat(challenge).startsWith("Bearer error=\"insufficient_scope\"")
						.contains("scope=\"mcp:write\"")
						.contains("resource_metadata=\"http://127.0.0.1:" + this.port
								+ "/.well-known/oauth-protected-resource/consumer/mcp\""))
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(3)
			.jsonPath("$.error.code")
			.isEqualTo(-32003);
	}

	@Test
	void aWriterCalls() {
		String token = pool.clientCredentialsToken(CLIENT, "atrium/mcp:write");
		post(token, initialize(token),
				"""
						{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"demo___add","arguments":{"a":1,"b":2}}}""")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.content[0].text")
			.isEqualTo("3");
	}

	@Test
	void refusalsAreCountedAndAuditedByReason() throws Exception {
		double missing = refusals("missing_token");
		double invalid = refusals("invalid_token");
		McpRequests.post(this.client, "/consumer/mcp", null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		expectInvalidToken(pool.idToken(CognitoUser.named("ana"), CLIENT).sign());
		assertThat(refusals("missing_token")).isEqualTo(missing + 1);
		assertThat(refusals("invalid_token")).isEqualTo(invalid + 1);
		assertThat(this.journal.flush(10, TimeUnit.SECONDS)).isTrue();
		String events = Files.readString(this.journal.activeSegment());
		assertThat(events).contains("\"event_type\":\"authentication_refused\"")
			.contains("\"reason\":\"missing_token\"")
			.contains("\"reason\":\"invalid_token\"");
	}

	private double refusals(String reason) {
		Counter counter = this.registry.find("atrium.auth.refusals")
			.tags("scenario", "consumer", "reason", reason)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void anIdTokenIsRefusedAsAnAccessToken() {
		CognitoUser user = CognitoUser.named("ana");
		String idToken = pool.idToken(user, CLIENT).sign();
		assertThat(expectInvalidToken(idToken)).contains("token_use=access");
	}

	@Test
	void aClientThatIsNotAllowedIsRefused() {
		expectInvalidToken(pool.clientCredentialsToken("stranger-app", "atrium/mcp:read"));
	}

	@Test
	void aTokenFromAnIssuerAnotherScenarioTrustsIsRefusedHere() {
		String token = otherPool.clientCredentialsToken(CLIENT, "atrium/mcp:read");
		expectInvalidToken(token);
		McpRequests.post(this.client, "/enterprise/mcp", token, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void aTokenInTheQueryStringIsIgnored() {
		String token = pool.clientCredentialsToken(CLIENT, "atrium/mcp:read");
		McpRequests.post(this.client, "/consumer/mcp?access_token=" + token, null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void aSessionBelongsToTheCallerThatOpenedIt() {
		String ana = pool.clientCredentialsToken(CLIENT, "atrium/mcp:read");
		String session = initialize(ana);
		String other = pool.clientCredentialsToken("other-app", "atrium/mcp:read");
		post(other, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").expectStatus().isNotFound();
		post(ana, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").expectStatus().isOk();
	}

	@Test
	void thePassThroughRouteNeedsTheScopesOfACall() {
		String reader = pool.clientCredentialsToken(CLIENT, "atrium/mcp:read");
		passThrough(reader).expectStatus()
			.isForbidden()
			.expectHeader()
			.value("WWW-Authenticate", (challenge) -> assertThat(challenge).contains("insufficient_scope"));
		passThrough(pool.clientCredentialsToken(CLIENT, "atrium/mcp:write")).expectStatus().isOk();
	}

	@Test
	void theAnonymousScenarioStillServesWithoutToken() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void aFloodOfUnknownKeyIdsFetchesTheJwksAtMostOnceMore() {
		String warmUp = pool.clientCredentialsToken(CLIENT, "atrium/mcp:read");
		initialize(warmUp);
		int before = jwks.requestCount(pool.jwksPath());
		for (int i = 0; i < 20; i++) {
			SigningKey stranger = SigningKey.rsa("unknown-" + UUID.randomUUID());
			String token = pool.clientCredentials(CLIENT, "atrium/mcp:read").signWith(stranger).sign();
			expectInvalidToken(token);
		}
		assertThat(jwks.requestCount(pool.jwksPath()) - before).isLessThanOrEqualTo(1);
	}

	@Test
	void whenTheJwksCannotBeFetchedTokensAreRefused() {
		flakyJwks.fail(flakyPool.jwksPath(), EndpointFailure.status(500));
		String token = flakyPool.clientCredentialsToken(flakyPool.defaultClientId(), "atrium/mcp:read");
		String challenge = McpRequests.post(this.client, "/third-party/mcp", token, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("WWW-Authenticate");
		assertThat(challenge).contains("invalid_token").contains("cannot be fetched");
		assertThat(flakyJwks.requestCount(flakyPool.jwksPath())).isPositive();
	}

	private WebTestClient.ResponseSpec passThrough(String token) {
		return McpRequests.post(this.client, "/consumer/targets/demo/mcp", token, null)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
			.exchange();
	}

	private String expectInvalidToken(String token) {
		String challenge = McpRequests.post(this.client, "/consumer/mcp", token, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNAUTHORIZED)
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("WWW-Authenticate");
		assertThat(challenge).startsWith("Bearer error=\"invalid_token\"").contains("resource_metadata=");
		return challenge;
	}

	private String initialize(String token) {
		return McpRequests.initialize(this.client, "/consumer/mcp", token);
	}

	private WebTestClient.ResponseSpec post(String token, String session, String body) {
		return McpRequests.post(this.client, "/consumer/mcp", token, session).bodyValue(body).exchange();
	}

}
