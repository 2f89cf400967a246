package dev.atrium.gateway.security;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The {@code seed} profile puts the seed architecture's decision matrix in force: no
 * scenario is anonymous, IDEs come through Keycloak, M2M callers through Cognito.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ATRIUM_KEYCLOAK_ISSUER=https://kc.example.com/realms/atrium",
				"ATRIUM_PUBLIC_URL=https://gw.example.com",
				"ATRIUM_COGNITO_ISSUER=https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC",
				"ATRIUM_COGNITO_CLIENTS=bff-app,partner-app", "atrium.targets.api.url=http://127.0.0.1:9/mcp",
				"ATRIUM_INTERNAL_TARGETS=api", "ATRIUM_CONSUMER_TARGETS=api", "ATRIUM_ENTERPRISE_TARGETS=api",
				"ATRIUM_THIRD_PARTY_TARGETS=api" })
@ActiveProfiles("seed")
class SeedProfileTests {

	@LocalServerPort
	int port;

	@Test
	void everyScenarioAsksForAToken() {
		WebTestClient client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		for (String scenario : new String[] { "internal", "consumer", "enterprise", "third-party" }) {
			client.post()
				.uri("/" + scenario + "/mcp")
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
				.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
		client.get()
			.uri("/.well-known/oauth-protected-resource/internal/mcp")
			.exchange()
			.expectBody()
			.jsonPath("$.authorization_servers[0]")
			.isEqualTo("https://kc.example.com/realms/atrium");
		client.get()
			.uri("/.well-known/oauth-protected-resource/consumer/mcp")
			.exchange()
			.expectBody()
			.jsonPath("$.authorization_servers[0]")
			.isEqualTo("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC");
	}

}
