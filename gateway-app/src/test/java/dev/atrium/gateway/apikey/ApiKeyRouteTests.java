package dev.atrium.gateway.apikey;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.atrium.gateway.McpRequests;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JWT API keys end to end in one gateway: administered with {@code gateway:admin},
 * accepted where the third-party scenario trusts them, refused once revoked or rotated.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.sts.issuer=https://atrium.example.com/sts",
				"atrium.sts.key-secret=api-key-route-tests-secret-0123456789-0123",
				"atrium.sts.clients.ops.secret=ops-secret", "atrium.sts.clients.ops.grant-types=client-credentials",
				"atrium.sts.clients.ops.scopes=gateway:admin", "atrium.sts.clients.svc.secret=svc-secret",
				"atrium.sts.clients.svc.grant-types=client-credentials", "atrium.sts.clients.svc.scopes=mcp:read",
				"atrium.api-keys.admin-issuers=atrium-sts", "atrium.scenarios.third-party.anonymous=false",
				"atrium.scenarios.third-party.issuers=atrium-api-keys" })
class ApiKeyRouteTests {

	@LocalServerPort
	int port;

	@Test
	void theAdministrationNeedsAToken() {
		McpRequests.client(this.port)
			.post()
			.uri("/admin/api-keys")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"client_id\":\"chatgpt_apps\",\"scopes\":[\"mcp:read\"]}")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, (challenge) -> assertThat(challenge).startsWith("Bearer"));
	}

	@Test
	void theAdministrationNeedsTheGatewayAdminScope() {
		WebTestClient client = McpRequests.client(this.port);
		admin(client, McpRequests.stsToken(client, "svc", "svc-secret"), "/admin/api-keys",
				"{\"client_id\":\"chatgpt_apps\",\"scopes\":[\"mcp:read\"]}")
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, (challenge) -> assertThat(challenge).contains("insufficient_scope"));
	}

	@Test
	void anIssuedKeyOpensTheThirdPartyScenarioUntilItIsRevoked() {
		WebTestClient client = McpRequests.client(this.port);
		String admin = McpRequests.stsToken(client, "ops", "ops-secret");
		Map<?, ?> issued = issue(client, admin);
		String key = (String) issued.get("api_key");
		assertThat(Instant.parse((String) issued.get("expires_at"))).isBetween(
				Instant.now().plus(Duration.ofDays(30)).minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
		McpRequests.initialize(client, "/third-party/mcp", key);
		// Used again: its signature is now remembered (ADR 15), and revocation must
		// still be checked on the next request.
		McpRequests.initialize(client, "/third-party/mcp", key);

		admin(client, admin, "/admin/api-keys/revoke", "{\"api_key\":\"" + key + "\"}").expectStatus().isNoContent();

		initialize(client, key).expectStatus().isUnauthorized();
	}

	@Test
	void aRotatedKeyReplacesTheOldOne() {
		WebTestClient client = McpRequests.client(this.port);
		String admin = McpRequests.stsToken(client, "ops", "ops-secret");
		String old = (String) issue(client, admin).get("api_key");

		Map<?, ?> rotated = admin(client, admin, "/admin/api-keys/rotate", "{\"api_key\":\"" + old + "\"}")
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();

		initialize(client, old).expectStatus().isUnauthorized();
		McpRequests.initialize(client, "/third-party/mcp", (String) rotated.get("api_key"));
	}

	@Test
	void anStsTokenDoesNotOpenTheScenarioThatTrustsOnlyApiKeys() {
		WebTestClient client = McpRequests.client(this.port);
		initialize(client, McpRequests.stsToken(client, "svc", "svc-secret")).expectStatus().isUnauthorized();
	}

	@Test
	void badRequestsAreAnsweredInOAuthTerms() {
		WebTestClient client = McpRequests.client(this.port);
		String admin = McpRequests.stsToken(client, "ops", "ops-secret");
		admin(client, admin, "/admin/api-keys",
				"{\"client_id\":\"x\",\"scopes\":[\"mcp:read\"],\"rate_tier\":\"gold\"}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_request");
		admin(client, admin, "/admin/api-keys", "not json").expectStatus().isBadRequest();
		admin(client, admin, "/admin/api-keys/rotate", "{\"api_key\":\"forged\"}").expectStatus().isBadRequest();
	}

	private static Map<?, ?> issue(WebTestClient client, String admin) {
		return admin(client, admin, "/admin/api-keys",
				"{\"client_id\":\"chatgpt_apps\",\"tenant\":\"acme\",\"scopes\":[\"mcp:read\"],\"rate_tier\":\"standard\"}")
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private static WebTestClient.ResponseSpec admin(WebTestClient client, String token, String path, String body) {
		return client.post()
			.uri(path)
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private static WebTestClient.ResponseSpec initialize(WebTestClient client, String token) {
		return McpRequests.post(client, "/third-party/mcp", token, null).bodyValue(McpRequests.INITIALIZE).exchange();
	}

}
