package dev.atrium.gateway.security;

import java.time.Clock;

import dev.atrium.gateway.McpRequests;
import dev.atrium.testsupport.LocalJwksServer;
import dev.atrium.testsupport.OidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An {@code oidc} issuer configured by its issuer alone: its keys are found through its
 * discovery document; when discovery fails, tokens are refused (401), never a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcDiscoveryRouteTests {

	static final LocalJwksServer server = LocalJwksServer.start();

	static final OidcIssuer idp = OidcIssuer.start(server, Clock.systemUTC());

	static final LocalJwksServer goneServer = LocalJwksServer.start();

	static final OidcIssuer gone = OidcIssuer.builder(goneServer, Clock.systemUTC()).path("/gone").build();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		registry.add("atrium.issuers.idp.type", () -> "oidc");
		registry.add("atrium.issuers.idp.issuer-uri", idp::issuer);
		registry.add("atrium.issuers.gone.type", () -> "oidc");
		registry.add("atrium.issuers.gone.issuer-uri", gone::issuer);
		registry.add("atrium.scenarios.consumer.issuers", () -> "idp");
		registry.add("atrium.scenarios.enterprise.issuers", () -> "gone");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aTokenOfAnIssuerFoundByDiscoveryIsAccepted() {
		McpRequests.initialize(McpRequests.client(this.port), "/consumer/mcp", idp.validAccessToken().sign());
	}

	@Test
	void whenDiscoveryFailsTokensAreRefused() {
		String token = gone.validAccessToken().sign();
		goneServer.close();
		WebTestClient client = McpRequests.client(this.port);

		McpRequests.post(client, "/enterprise/mcp", token, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

}
