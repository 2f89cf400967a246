package dev.atrium.e2e.sts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.e2e.support.StsTokens;
import dev.atrium.testsupport.LocalRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas with the same STS key secret and one real Redis: a token or API key minted
 * by one is accepted by the other, and revoked on one, it is refused by both. A replica
 * with another secret accepts none of them.
 */
class StsReplicasEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String ISSUER = "https://atrium.example.com/sts";

	private static final String CLIENT = "svc-reporting";

	private static final String CLIENT_SECRET = "svc-reporting-secret-0123456789";

	private static final String ADMIN = "ops-console";

	static LocalRedis redis;

	static AtriumInstance first;

	static AtriumInstance second;

	static AtriumInstance foreign;

	@BeforeAll
	static void start() {
		redis = LocalRedis.start();
		first = AtriumInstance.start(replica("shared-sts-secret-of-this-deployment-0123456789"));
		second = AtriumInstance.start(replica("shared-sts-secret-of-this-deployment-0123456789"));
		foreign = AtriumInstance.start(replica("another-deployments-sts-secret-0123456789-abcd"));
	}

	@AfterAll
	static void stop() {
		for (AtriumInstance instance : new AtriumInstance[] { first, second, foreign }) {
			if (instance != null) {
				instance.close();
			}
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void aTokenMintedByOneReplicaIsAcceptedByAnotherAndRevokedOnBoth() {
		String token = clientCredentials(first);
		Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
		assertThat(Mcp.initialize(second.mcpUrl("/internal"), bearer).status()).isEqualTo(200);

		HttpResponse<String> revoked = StsTokens.post(first, "/sts/oauth2/revoke", CLIENT, CLIENT_SECRET,
				Map.of("token", token));
		assertThat(revoked.statusCode()).isEqualTo(200);

		assertThat(Mcp.initialize(second.mcpUrl("/internal"), bearer).status()).isEqualTo(401);
		assertThat(Mcp.initialize(first.mcpUrl("/internal"), bearer).status()).isEqualTo(401);
	}

	@Test
	void anApiKeyIssuedOnOneReplicaWorksOnAnotherUntilRevokedOnEither() {
		String admin = clientCredentials(first, ADMIN);
		HttpResponse<String> issued = send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/admin/api-keys"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + admin)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"claude_apps\",\"scopes\":[\"mcp:read\"]}"))
			.build());
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
		String key = JSON.readTree(issued.body()).path("api_key").asString();
		Map<String, String> bearer = Map.of("Authorization", "Bearer " + key);
		assertThat(Mcp.initialize(second.mcpUrl("/third-party"), bearer).status()).isEqualTo(200);

		HttpResponse<String> revoked = send(
				HttpRequest.newBuilder(URI.create(second.baseUrl() + "/admin/api-keys/revoke"))
					.timeout(Duration.ofSeconds(10))
					.header("Authorization", "Bearer " + clientCredentials(second, ADMIN))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + key + "\"}"))
					.build());
		assertThat(revoked.statusCode()).isEqualTo(204);

		assertThat(Mcp.initialize(first.mcpUrl("/third-party"), bearer).status()).isEqualTo(401);
	}

	@Test
	void aReplicaWithAnotherSecretAcceptsNoneOfTheseTokens() {
		String token = clientCredentials(first);

		Mcp.Response refused = Mcp.initialize(foreign.mcpUrl("/internal"), Map.of("Authorization", "Bearer " + token));

		assertThat(refused.status()).isEqualTo(401);
	}

	@Test
	void theReplicasPublishTheSameKeys() {
		assertThat(get(first.baseUrl() + "/sts/jwks")).isEqualTo(get(second.baseUrl() + "/sts/jwks"))
			.isNotEqualTo(get(foreign.baseUrl() + "/sts/jwks"));
	}

	private static Map<String, String> replica(String keySecret) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.sts.issuer", ISSUER);
		properties.put("atrium.sts.key-secret", keySecret);
		properties.put("atrium.sts.revocation.redis-uri", redis.uri());
		properties.put("atrium.sts.clients." + CLIENT + ".secret", CLIENT_SECRET);
		properties.put("atrium.sts.clients." + CLIENT + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + CLIENT + ".scopes", "mcp:read");
		properties.put("atrium.sts.clients." + ADMIN + ".secret", CLIENT_SECRET);
		properties.put("atrium.sts.clients." + ADMIN + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + ADMIN + ".scopes", "gateway:admin");
		properties.put("atrium.api-keys.admin-issuers", "atrium-sts");
		properties.put("atrium.scenarios.internal.anonymous", "false");
		properties.put("atrium.scenarios.internal.issuers", "atrium-sts");
		properties.put("atrium.scenarios.third-party.anonymous", "false");
		properties.put("atrium.scenarios.third-party.issuers", "atrium-api-keys");
		return properties;
	}

	private static String clientCredentials(AtriumInstance replica) {
		return clientCredentials(replica, CLIENT);
	}

	private static String clientCredentials(AtriumInstance replica, String client) {
		return StsTokens.clientCredentials(replica, client, CLIENT_SECRET);
	}

	private static String get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build()).body();
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
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
