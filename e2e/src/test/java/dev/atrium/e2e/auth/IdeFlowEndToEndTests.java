package dev.atrium.e2e.auth;

import dev.atrium.testsupport.LoopbackPorts;
import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.IdeOAuthClient;
import dev.atrium.e2e.support.KeycloakServer;
import dev.atrium.e2e.support.TsSdkClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.atrium.e2e.support.TsSdkClient.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow an IDE runs against the internal scenario, on a real Keycloak: call without a
 * token, follow the 401 to the resource metadata, discover Keycloak, register by DCR,
 * authorization code with PKCE through Keycloak's login form, call tools through Atrium,
 * refresh the token and call again.
 */
class IdeFlowEndToEndTests {

	static KeycloakServer keycloak;

	static AtriumInstance atrium;

	static String mcpUrl;

	@BeforeAll
	static void start() {
		keycloak = KeycloakServer.shared();
		// The audience names Atrium's URL, so Atrium's port is chosen before it starts.
		int port = LoopbackPorts.free();
		mcpUrl = "http://127.0.0.1:" + port + "/internal/mcp";
		keycloak.setGatewayAudience(KeycloakServer.REALM, mcpUrl);
		atrium = AtriumInstance.start(Map.of("server.port", String.valueOf(port), "atrium.issuers.keycloak-ide.type",
				"keycloak", "atrium.issuers.keycloak-ide.issuer-uri", keycloak.issuer(),
				"atrium.issuers.keycloak-ide.audiences", mcpUrl, "atrium.scenarios.internal.anonymous", "false",
				"atrium.scenarios.internal.issuers", "keycloak-ide"));
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
	}

	@Test
	void anIdeRegistersLogsInCallsToolsAndRefreshes() {
		try (IdeOAuthClient ide = new IdeOAuthClient()) {
			IdeOAuthClient.Challenge challenge = ide.challenge(URI.create(mcpUrl));
			assertThat(challenge.status()).isEqualTo(401);
			assertThat(challenge.resourceMetadata())
				.hasToString(mcpUrl.replace("/internal/mcp", "/.well-known/oauth-protected-resource/internal/mcp"));
			IdeOAuthClient.Session session = ide.authorize(challenge.resourceMetadata(), "atrium-e2e-ide", 53682,
					List.of("mcp:read", "mcp:write"), KeycloakServer.DEV_USER, KeycloakServer.DEV_PASSWORD);
			assertThat(session.server().issuer()).hasToString(keycloak.issuer());
			assertCallsWork(session.tokens().accessToken(), "first");
			IdeOAuthClient.Tokens refreshed = ide.refresh(session.server(), session.registration(),
					session.tokens().refreshToken(), session.resource().resource());
			assertThat(refreshed.accessToken()).isNotEqualTo(session.tokens().accessToken());
			assertCallsWork(refreshed.accessToken(), "after refresh");
		}
	}

	@Test
	void aReadOnlyIdeMayListButNotCall() {
		try (IdeOAuthClient ide = new IdeOAuthClient()) {
			IdeOAuthClient.Session session = ide.authorize(ide.challenge(URI.create(mcpUrl)).resourceMetadata(),
					"atrium-e2e-reader", 53683, List.of("mcp:read"), KeycloakServer.DEV_USER,
					KeycloakServer.DEV_PASSWORD);
			JsonNode run = TsSdkClient.connected(TsSdkClient.run(mcpUrl,
					Map.of("Authorization", "Bearer " + session.tokens().accessToken()), List.of(step("listTools"),
							step("callTool", "name", "demo___echo", "arguments", Map.of("message", "x")))));
			assertThat(run.get("steps").get(0).get("result").get("items").toString()).contains("demo___echo");
			assertThat(run.get("steps").get(1).get("error").get("code").asInt()).isEqualTo(403);
		}
	}

	private static void assertCallsWork(String accessToken, String message) {
		JsonNode run = TsSdkClient.connected(
				TsSdkClient.run(mcpUrl, Map.of("Authorization", "Bearer " + accessToken), List.of(step("listTools"),
						step("callTool", "name", "demo___echo", "arguments", Map.of("message", message)))));
		assertThat(run.get("steps").get(0).get("result").get("items").toString()).contains("demo___echo");
		assertThat(run.get("steps").get(1).get("result").get("content").get(0).get("text").asString())
			.isEqualTo(message);
	}

}
