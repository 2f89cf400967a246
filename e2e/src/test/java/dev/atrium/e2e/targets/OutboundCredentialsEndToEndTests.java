package dev.atrium.e2e.targets;

import dev.atrium.testsupport.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
import dev.atrium.e2e.support.JavaSdkClients;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.SigV4CheckingProxy;
import io.modelcontextprotocol.client.McpSyncClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Atrium with a target per kind of outbound credentials, each an MCP Java SDK server
 * called through {@code /internal/mcp} by the SDK's client: {@code plain} with none;
 * {@code keyed} with an API key in a header with a prefix, read from a file that the test
 * rotates as Kubernetes does (a symbolic link swapped to a new file); {@code oauth} with
 * client-credentials tokens from this Atrium's own embedded STS, which the target
 * verifies against the STS's key set; {@code signed} with SigV4 from static keys, behind
 * an endpoint that recomputes every signature and refuses a wrong one.
 */
class OutboundCredentialsEndToEndTests {

	static final String OUTBOUND_CLIENT = "atrium-outbound";

	static final String OUTBOUND_SECRET = "outbound-e2e-client-secret-0123456789";

	static final String ACCESS_KEY_ID = "AKIDEXAMPLE";

	static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

	static final Pattern ISSUED_CLIENT_CREDENTIALS = Pattern
		.compile("(?m)^atrium_sts_grants_total\\{([^}]*)\\} ([0-9.E]+)$");

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static JavaSdkUpstream plain;

	static JavaSdkUpstream keyed;

	static JavaSdkUpstream oauth;

	static JavaSdkUpstream signed;

	static SigV4CheckingProxy signedEndpoint;

	static JavaSdkUpstream forged;

	static SigV4CheckingProxy forgedEndpoint;

	static Path secrets;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() throws IOException {
		plain = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("plain"));
		keyed = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("keyed"));
		oauth = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("oauth"));
		signed = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("signed"));
		signedEndpoint = SigV4CheckingProxy.start(signed.mcpUrl(), "/mcp", SECRET_ACCESS_KEY, "eu-west-1",
				"execute-api");
		forged = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("forged"));
		forgedEndpoint = SigV4CheckingProxy.start(forged.mcpUrl(), "/mcp", SECRET_ACCESS_KEY, "eu-west-1",
				"execute-api");
		secrets = Files.createTempDirectory("atrium-e2e-secrets");
		mountApiKey("key-one-0123456789", "v1");
		// The token endpoint is this Atrium's own STS: its port is chosen before it
		// starts.
		int port = LoopbackPorts.free();
		String prefix = "atrium.targets.";
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", String.valueOf(port));
		properties.put(prefix + "plain.url", plain.mcpUrl());
		properties.put(prefix + "plain.credentials.type", "none");

		properties.put(prefix + "keyed.url", keyed.mcpUrl());
		properties.put(prefix + "keyed.credentials.type", "api-key");
		properties.put(prefix + "keyed.credentials.header", "X-Search-Key");
		properties.put(prefix + "keyed.credentials.prefix", "Token");
		properties.put(prefix + "keyed.credentials.key.file", secrets.resolve("search-key").toString());
		// Looked at on every request, so that the next request after the rotation has it.
		properties.put(prefix + "keyed.credentials.key.refresh", "0s");

		properties.put(prefix + "oauth.url", oauth.mcpUrl());
		properties.put(prefix + "oauth.credentials.type", "oauth2");
		properties.put(prefix + "oauth.credentials.token-endpoint", "http://127.0.0.1:" + port + "/sts/oauth2/token");
		properties.put(prefix + "oauth.credentials.client-id", OUTBOUND_CLIENT);
		properties.put(prefix + "oauth.credentials.client-secret.value", OUTBOUND_SECRET);
		properties.put(prefix + "oauth.credentials.scopes", "notes:read");
		properties.put("atrium.sts.clients." + OUTBOUND_CLIENT + ".secret", OUTBOUND_SECRET);
		properties.put("atrium.sts.clients." + OUTBOUND_CLIENT + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + OUTBOUND_CLIENT + ".scopes", "notes:read");

		properties.put(prefix + "signed.url", signedEndpoint.url() + "/mcp");
		properties.put(prefix + "signed.credentials.type", "sigv4");
		properties.put(prefix + "signed.credentials.region", "eu-west-1");
		properties.put(prefix + "signed.credentials.service", "execute-api");
		properties.put(prefix + "signed.credentials.access-key-id.value", ACCESS_KEY_ID);
		properties.put(prefix + "signed.credentials.secret-access-key.value", SECRET_ACCESS_KEY);

		// Signed with another secret key than the endpoint expects.
		properties.put(prefix + "forged.url", forgedEndpoint.url() + "/mcp");
		properties.put(prefix + "forged.credentials.type", "sigv4");
		properties.put(prefix + "forged.credentials.region", "eu-west-1");
		properties.put(prefix + "forged.credentials.service", "execute-api");
		properties.put(prefix + "forged.credentials.access-key-id.value", ACCESS_KEY_ID);
		properties.put(prefix + "forged.credentials.secret-access-key.value", "not/the/secret/key/the/endpoint/knows");

		properties.put("atrium.scenarios.internal.targets", "plain,keyed,oauth,signed,forged");
		atrium = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() throws IOException {
		for (AutoCloseable peer : new AutoCloseable[] { atrium, forgedEndpoint, forged, signedEndpoint, signed, oauth,
				keyed, plain }) {
			if (peer != null) {
				try {
					peer.close();
				}
				catch (Exception ex) {
					// The others are stopped all the same.
				}
			}
		}
		if (secrets != null) {
			try (Stream<Path> paths = Files.walk(secrets)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	@Test
	void aTargetWithoutCredentialsReceivesNoneOfAtriums() {
		assertThat(reverse("plain___reverse")).isEqualTo("cba");
		JavaSdkUpstream.RecordedRequest call = plain.requests("tools/call").getLast();
		assertThat(call.header("authorization")).isNull();
		assertThat(call.header("x-search-key")).isNull();
		assertThat(call.header("x-amz-date")).isNull();
	}

	@Test
	void anApiKeyFromAFileIsSentWithItsPrefixAndTheNextRequestAfterARotationHasTheNewKey() throws IOException {
		assertThat(reverse("keyed___reverse")).isEqualTo("cba");
		assertThat(keyed.requests("tools/call").getLast().header("x-search-key")).isEqualTo("Token key-one-0123456789");

		mountApiKey("key-two-9876543210", "v2");

		assertThat(reverse("keyed___reverse")).isEqualTo("cba");
		assertThat(keyed.requests("tools/call").getLast().header("x-search-key")).isEqualTo("Token key-two-9876543210");
	}

	@Test
	void anOAuth2TokenFromAtriumsOwnStsIsVerifiableByTheTargetAndReusedForTheNextCall() throws Exception {
		assertThat(reverse("oauth___reverse")).isEqualTo("cba");
		String first = oauth.requests("tools/call").getLast().header("authorization");
		double tokensIssued = clientCredentialsTokensIssued();
		assertThat(tokensIssued).isGreaterThanOrEqualTo(1);

		assertThat(first).startsWith("Bearer ");
		JWTClaimsSet claims = verifyWithTheStsKeys(first.substring("Bearer ".length()));
		assertThat(claims.getSubject()).isEqualTo(OUTBOUND_CLIENT);
		assertThat(claims.getStringClaim("client_id")).isEqualTo(OUTBOUND_CLIENT);
		assertThat(claims.getIssuer()).endsWith(":" + URI.create(atrium.baseUrl()).getPort() + "/sts");
		assertThat(String.valueOf(claims.getClaim("scope"))).contains("notes:read");

		assertThat(reverse("oauth___reverse")).isEqualTo("cba");
		assertThat(oauth.requests("tools/call").getLast().header("authorization")).isEqualTo(first);
		assertThat(clientCredentialsTokensIssued()).as("no second token request").isEqualTo(tokensIssued);
	}

	@Test
	void sigV4SignaturesFromStaticKeysAreValidWhenTheEndpointRecomputesThem() {
		int calls = signed.requests("tools/call").size();
		assertThat(reverse("signed___reverse")).isEqualTo("cba");
		SigV4CheckingProxy.Received call = signedEndpoint.received("tools/call").getLast();
		assertThat(call.verdict().valid()).as(call.verdict().reason()).isTrue();
		assertThat(call.header("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/")
			.contains("/eu-west-1/execute-api/aws4_request");
		assertThat(signedEndpoint.received())
			.allSatisfy((received) -> assertThat(received.verdict().valid()).as(received.verdict().reason()).isTrue());
		assertThat(signed.requests("tools/call")).hasSize(calls + 1);
	}

	@Test
	void requestsSignedWithAnotherSecretKeyAreRefusedAndNeverReachTheServer() {
		// Atrium reads every target's catalog once it has started.
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !forgedEndpoint.received().isEmpty());
		assertThat(forgedEndpoint.received())
			.allSatisfy((received) -> assertThat(received.verdict().reason()).startsWith("signature mismatch"));
		assertThat(forged.requests()).isEmpty();
	}

	/** A tool call with {@code abc} in a session of its own; the answer's text. */
	private static String reverse(String tool) {
		McpSyncClient client = JavaSdkClients.connect(atrium.mcpUrl("/internal"));
		try {
			return JavaSdkClients.text(JavaSdkClients.callTool(client, tool, Map.of("text", "abc")));
		}
		finally {
			client.closeGracefully();
		}
	}

	/**
	 * Mounts the key as Kubernetes mounts a secret: {@code search-key} links to a file in
	 * a new directory, and the link is swapped at once.
	 */
	private static void mountApiKey(String key, String version) throws IOException {
		Path directory = Files.createDirectories(secrets.resolve(version));
		Path file = Files.writeString(directory.resolve("search-key"), key + "\n");
		Path link = secrets.resolve("search-key.new");
		Files.deleteIfExists(link);
		Files.createSymbolicLink(link, file);
		Files.move(link, secrets.resolve("search-key"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	private static JWTClaimsSet verifyWithTheStsKeys(String token) throws Exception {
		JWKSet keys = JWKSet.parse(get("/sts/jwks"));
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys)));
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"),
				new JOSEObjectType("application/at+jwt")));
		return processor.process(token, null);
	}

	/** The client-credentials tokens the STS issued so far, from its metrics. */
	private static double clientCredentialsTokensIssued() {
		Matcher matcher = ISSUED_CLIENT_CREDENTIALS.matcher(get("/actuator/prometheus"));
		double issued = 0;
		while (matcher.find()) {
			if (matcher.group(1).contains("grant=\"client-credentials\"")
					&& matcher.group(1).contains("outcome=\"issued\"")) {
				issued += Double.parseDouble(matcher.group(2));
			}
		}
		return issued;
	}

	private static String get(String path) {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(atrium.baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return response.body();
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
