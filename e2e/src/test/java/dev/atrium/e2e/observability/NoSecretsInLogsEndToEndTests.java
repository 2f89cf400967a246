package dev.atrium.e2e.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole run of Atrium with the deployment's JSON logs, every log line of it captured
 * from start to shutdown: client-credentials tokens from the embedded STS (one client
 * authenticating in the form body), a token exchange, an API key issued at
 * {@code /admin/api-keys}, MCP calls with all of them, a revoked token and a revoked key
 * used again, forged, foreign, unsigned and malformed tokens refused, a wrong client
 * secret and a refused exchange. None of the tokens, secrets and keys used appears
 * anywhere in the output, not even in part; the output holds the run's request ids, so
 * the capture did see Atrium's lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretsInLogsEndToEndTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final String ISSUER = "https://atrium.example.com/sts";

	private static final String KEY_SECRET = "no-secrets-e2e-sts-key-secret-0123456789-abcdef";

	private static final String AGENT = "ai-agent-001";

	private static final String AGENT_SECRET = "agent-secret-e2e-logs-0123456789";

	private static final String USER = "user-alice";

	private static final String USER_SECRET = "user-secret-e2e-logs-0123456789";

	private static final String ADMIN = "ops-console";

	private static final String ADMIN_SECRET = "admin-secret-e2e-logs-0123456789";

	private static final String WRONG_SECRET = "a-wrong-secret-e2e-logs-0123456789";

	private static final String ARGUMENT = "an-echo-argument-that-stays-out-of-logs";

	/** Everything that must never appear in a log line. */
	private final Set<String> secrets = new LinkedHashSet<>();

	/** The request ids the run sent, which the log lines must carry. */
	private final List<String> requestIds = new ArrayList<>();

	private int requests;

	@Test
	void aWholeRunLogsNoneOfTheTokensSecretsAndKeysItUsed(CapturedOutput output) throws Exception {
		this.secrets.addAll(List.of(KEY_SECRET, AGENT_SECRET, USER_SECRET, ADMIN_SECRET, WRONG_SECRET,
				AtriumInstance.SHARED_SESSION_KEYS.get("atrium.session.keys[0].secret"), "local-dev-secret"));
		try (AtriumInstance atrium = AtriumInstance.start(properties())) {
			run(atrium);
		}

		String all = output.getAll();
		List<JsonNode> lines = all.lines().filter((line) -> line.startsWith("{")).map(JSON::readTree).toList();
		List<JsonNode> calls = lines.stream()
			.filter((line) -> "mcp_request".equals(line.path("event").asString())
					&& this.requestIds.contains(line.path("request_id").asString()))
			.toList();
		assertThat(calls).as("the run's mcp_request lines, proof that the capture saw Atrium's logs")
			.hasSizeGreaterThanOrEqualTo(8);
		assertThat(calls).extracting((line) -> line.at("/details/client_id").asString()).contains(AGENT, "claude_apps");
		assertThat(calls)
			.allSatisfy((line) -> assertThat(line.path("correlation_id").asString()).isEqualTo("no-secrets-e2e-run"));
		assertThat(lines).filteredOn((line) -> line.has("request_id"))
			.allSatisfy((line) -> assertThat(line.has("correlation_id")).isTrue());
		for (String secret : this.secrets) {
			assertThat(all).as("the output holds a secret or a part of one").doesNotContain(secret);
		}
		assertThat(all).as("Atrium itself writes none: the redaction had nothing to catch")
			.doesNotContain("[REDACTED]");
	}

	private void run(AtriumInstance atrium) throws Exception {
		String agentToken = clientCredentials(atrium, AGENT, AGENT_SECRET, false);
		String userToken = clientCredentials(atrium, USER, USER_SECRET, true);
		String adminToken = clientCredentials(atrium, ADMIN, ADMIN_SECRET, false);

		HttpResponse<String> exchanged = tokenRequest(atrium, AGENT, AGENT_SECRET,
				Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", userToken,
						"subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "actor_token",
						agentToken, "actor_token_type", "urn:ietf:params:oauth:token-type:access_token"));
		assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
		String composite = secret(JSON.readTree(exchanged.body()).path("access_token").asString());
		HttpResponse<String> refusedExchange = tokenRequest(atrium, AGENT, AGENT_SECRET,
				Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", userToken,
						"subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "actor_token", userToken,
						"actor_token_type", "urn:ietf:params:oauth:token-type:access_token"));
		assertThat(refusedExchange.statusCode()).isEqualTo(400);
		assertThat(tokenRequest(atrium, AGENT, WRONG_SECRET, Map.of("grant_type", "client_credentials")).statusCode())
			.isEqualTo(401);

		HttpResponse<String> issued = send(HttpRequest.newBuilder(URI.create(atrium.baseUrl() + "/admin/api-keys"))
			.header("Authorization", "Bearer " + adminToken)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"claude_apps\",\"scopes\":[\"mcp:read\"]}")));
		assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
		String apiKey = secret(JSON.readTree(issued.body()).path("api_key").asString());

		session(atrium.mcpUrl("/internal"), agentToken, true);
		session(atrium.mcpUrl("/internal"), composite, true);
		session(atrium.mcpUrl("/third-party"), apiKey, false);

		HttpResponse<String> revoked = tokenEndpoint(atrium, "/sts/oauth2/revoke", AGENT, AGENT_SECRET,
				Map.of("token", agentToken), false);
		assertThat(revoked.statusCode()).isEqualTo(200);
		assertThat(initialize(atrium.mcpUrl("/internal"), agentToken).status()).isEqualTo(401);
		HttpResponse<String> keyRevoked = send(
				HttpRequest.newBuilder(URI.create(atrium.baseUrl() + "/admin/api-keys/revoke"))
					.header("Authorization", "Bearer " + adminToken)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + apiKey + "\"}")));
		assertThat(keyRevoked.statusCode()).isEqualTo(204);
		assertThat(initialize(atrium.mcpUrl("/third-party"), apiKey).status()).isEqualTo(401);

		for (String bad : List.of(forged(composite), foreign(), unsigned(), secret("not-a-jwt-" + "x7Q2m9Lk4Zt8"))) {
			assertThat(initialize(atrium.mcpUrl("/internal"), bad).status()).as(bad).isEqualTo(401);
		}
		// A valid token, but not an administrator's.
		assertThat(send(HttpRequest.newBuilder(URI.create(atrium.baseUrl() + "/admin/api-keys"))
			.header("Authorization", "Bearer " + composite)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"x\",\"scopes\":[\"mcp:read\"]}"))).statusCode())
			.isEqualTo(403);
	}

	/** Initialize, list the tools and call one, with the token. */
	private void session(String url, String token, boolean call) {
		Mcp.Response initialized = initialize(url, token);
		assertThat(initialized.status()).as(initialized.body()).isEqualTo(200);
		String session = initialized.sessionId();
		assertThat(
				Mcp.post(url, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", headers(token))
					.status())
			.isEqualTo(202);
		Mcp.Response tools = Mcp.post(url, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
				headers(token));
		assertThat(tools.status()).as(tools.body()).isEqualTo(200);
		if (call) {
			Mcp.Response echoed = Mcp.post(url, session,
					"""
							{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"demo___echo","arguments":{"message":"%s"}}}"""
						.formatted(ARGUMENT),
					headers(token));
			assertThat(echoed.status()).as(echoed.body()).isEqualTo(200);
			assertThat(echoed.body()).contains(ARGUMENT);
		}
	}

	private Mcp.Response initialize(String url, String token) {
		return Mcp.initialize(url, headers(token));
	}

	/** A bearer token and this run's ids, one request id per request. */
	private Map<String, String> headers(String token) {
		String requestId = "no-secrets-e2e-" + (++this.requests);
		this.requestIds.add(requestId);
		return Map.of("Authorization", "Bearer " + token, "X-Request-Id", requestId, "X-Correlation-Id",
				"no-secrets-e2e-run");
	}

	private String clientCredentials(AtriumInstance atrium, String client, String clientSecret, boolean inBody) {
		HttpResponse<String> response = tokenEndpoint(atrium, "/sts/oauth2/token", client, clientSecret,
				Map.of("grant_type", "client_credentials"), inBody);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return secret(JSON.readTree(response.body()).path("access_token").asString());
	}

	private HttpResponse<String> tokenRequest(AtriumInstance atrium, String client, String clientSecret,
			Map<String, String> form) {
		return tokenEndpoint(atrium, "/sts/oauth2/token", client, clientSecret, form, false);
	}

	/**
	 * A form POST to the STS, the client authenticating with HTTP Basic
	 * ({@code client_secret_basic}) or in the body ({@code client_secret_post}).
	 */
	private HttpResponse<String> tokenEndpoint(AtriumInstance atrium, String path, String client, String clientSecret,
			Map<String, String> form, boolean inBody) {
		Map<String, String> fields = new LinkedHashMap<>(form);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(atrium.baseUrl() + path))
			.header("Content-Type", "application/x-www-form-urlencoded");
		if (inBody) {
			fields.put("client_id", client);
			fields.put("client_secret", clientSecret);
		}
		else {
			String basic = secret(
					Base64.getEncoder().encodeToString((client + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
			request.header("Authorization", "Basic " + basic);
		}
		String body = fields.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/** A real token whose signature was changed. */
	private String forged(String token) {
		String[] parts = token.split("\\.");
		char last = parts[2].charAt(0);
		parts[2] = ((last == 'A') ? 'B' : 'A') + parts[2].substring(1);
		return secret(String.join(".", parts));
	}

	/** A token claiming the STS's issuer, signed by a key the STS never had. */
	private String foreign() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("not-the-sts").generate();
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
					.keyID("not-the-sts")
					.build(),
				new JWTClaimsSet.Builder().issuer(ISSUER)
					.subject(AGENT)
					.claim("client_id", AGENT)
					.claim("scope", "mcp:read")
					.expirationTime(Date.from(Instant.now().plusSeconds(300)))
					.build());
		jwt.sign(new ECDSASigner(key));
		return secret(jwt.serialize());
	}

	/** A token without a signature ({@code alg: none}). */
	private String unsigned() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
		String claims = base64
			.encodeToString(("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + AGENT + "\",\"scope\":\"mcp:read\",\"exp\":"
					+ (Instant.now().getEpochSecond() + 300) + "}")
				.getBytes(StandardCharsets.UTF_8));
		return secret(header + "." + claims + ".");
	}

	/**
	 * Remembers a credential, and each part of a JWT on its own: a log line that cut one
	 * would still give it away.
	 */
	private String secret(String credential) {
		assertThat(credential).isNotBlank();
		this.secrets.add(credential);
		for (String part : credential.split("\\.")) {
			if (part.length() >= 16) {
				this.secrets.add(part);
			}
		}
		return credential;
	}

	private static Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("logging.structured.format.console",
				"dev.atrium.observability.logging.AtriumStructuredLogFormatter");
		// Debug lines of Atrium and of Spring Security too: a token must not appear at
		// any level.
		properties.put("logging.level.dev.atrium", "debug");
		properties.put("logging.level.org.springframework.security", "debug");
		properties.put("atrium.sts.issuer", ISSUER);
		properties.put("atrium.sts.key-secret", KEY_SECRET);
		properties.put("atrium.sts.clients." + AGENT + ".secret", AGENT_SECRET);
		properties.put("atrium.sts.clients." + AGENT + ".grant-types", "client-credentials,token-exchange");
		properties.put("atrium.sts.clients." + AGENT + ".scopes", "mcp:read,mcp:write:limited");
		properties.put("atrium.sts.clients." + USER + ".secret", USER_SECRET);
		properties.put("atrium.sts.clients." + USER + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + USER + ".scopes", "mcp:read,mcp:write:limited");
		properties.put("atrium.sts.clients." + ADMIN + ".secret", ADMIN_SECRET);
		properties.put("atrium.sts.clients." + ADMIN + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + ADMIN + ".scopes", "gateway:admin");
		properties.put("atrium.api-keys.admin-issuers", "atrium-sts");
		properties.put("atrium.scenarios.internal.anonymous", "false");
		properties.put("atrium.scenarios.internal.issuers", "atrium-sts");
		properties.put("atrium.scenarios.third-party.anonymous", "false");
		properties.put("atrium.scenarios.third-party.issuers", "atrium-api-keys");
		return properties;
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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
