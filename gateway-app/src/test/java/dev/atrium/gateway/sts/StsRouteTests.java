package dev.atrium.gateway.sts;

import dev.atrium.gateway.McpRequests;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The STS mounted in the gateway: its tokens open the scenario that trusts it, a revoked
 * one does not, and every grant is counted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.sts.issuer=https://atrium.example.com/sts",
				"atrium.sts.key-secret=route-tests-sts-secret-0123456789-0123456789",
				"atrium.sts.clients.svc.secret=svc-secret", "atrium.sts.clients.svc.grant-types=client-credentials",
				"atrium.sts.clients.svc.scopes=mcp:read,mcp:write", "atrium.sts.clients.svc.tenant=tenant-a",
				"atrium.scenarios.internal.anonymous=false", "atrium.scenarios.internal.issuers=atrium-sts" })
class StsRouteTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Test
	void anStsTokenOpensTheScenarioUntilItIsRevoked() {
		WebTestClient client = McpRequests.client(this.port);
		String token = McpRequests.stsToken(client, "svc", "svc-secret");
		McpRequests.initialize(client, "/internal/mcp", token);

		client.post()
			.uri("/sts/oauth2/revoke")
			.headers((headers) -> headers.setBasicAuth("svc", "svc-secret"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("token", token))
			.exchange()
			.expectStatus()
			.isOk();

		McpRequests.post(client, "/internal/mcp", token, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, (challenge) -> assertThat(challenge).contains("invalid_token"));
	}

	@Test
	void theMetadataNamesTheEndpoints() {
		McpRequests.client(this.port)
			.get()
			.uri("/.well-known/oauth-authorization-server/sts")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.token_endpoint")
			.isEqualTo("https://atrium.example.com/sts/oauth2/token");
	}

	@Test
	void grantsAreCountedByOutcomeAndError() {
		WebTestClient client = McpRequests.client(this.port);
		double issuedBefore = count("client-credentials", "issued", "none");
		double refusedBefore = count("client-credentials", "refused", "invalid_client");

		McpRequests.stsToken(client, "svc", "svc-secret");
		client.post()
			.uri("/sts/oauth2/token")
			.headers((headers) -> headers.setBasicAuth("svc", "wrong"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials"))
			.exchange()
			.expectStatus()
			.isUnauthorized();

		assertThat(count("client-credentials", "issued", "none")).isEqualTo(issuedBefore + 1);
		assertThat(
				count("client-credentials", "refused", "invalid_client") + count("none", "refused", "invalid_client"))
			.isEqualTo(refusedBefore + 1);
	}

	private double count(String grant, String outcome, String error) {
		var counter = this.registry.find(StsGrantMetrics.METER)
			.tags("grant", grant, "outcome", outcome, "error", error)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
