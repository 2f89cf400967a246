package dev.atrium.e2e.policy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients of the embedded STS for the policy tests: each with its tenant and scopes. */
final class StsClients {

	static final String SECRET = "policy-e2e-client-secret-0123456789";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private StsClients() {
	}

	/** Properties declaring a client-credentials client. */
	static Map<String, String> client(String id, String tenant, List<String> scopes) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.sts.clients." + id + ".secret", SECRET);
		properties.put("atrium.sts.clients." + id + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + id + ".scopes", String.join(",", scopes));
		if (tenant != null) {
			properties.put("atrium.sts.clients." + id + ".tenant", tenant);
		}
		return properties;
	}

	/** A bearer header with a client-credentials token of the client. */
	static Map<String, String> bearer(AtriumInstance atrium, String client) {
		String basic = Base64.getEncoder().encodeToString((client + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(atrium.baseUrl() + "/sts/oauth2/token"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", "Basic " + basic)
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return Map.of("Authorization", "Bearer " + JSON.readTree(response.body()).path("access_token").asString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
