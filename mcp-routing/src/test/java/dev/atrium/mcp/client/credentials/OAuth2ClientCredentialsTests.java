package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client credentials grant against a local token endpoint that counts its requests
 * and takes a while to answer, so that concurrent callers overlap.
 */
class OAuth2ClientCredentialsTests {

	private static final Duration SKEW = Duration.ofSeconds(30);

	private static final int EXPIRES_IN = 300;

	private final AtomicInteger issued = new AtomicInteger();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicReference<String> acceptedSecret = new AtomicReference<>("s3cret");

	private final AtomicReference<Map<String, String>> lastForm = new AtomicReference<>();

	private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	private final AtomicInteger failWith = new AtomicInteger();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private DisposableServer tokenEndpoint;

	@BeforeEach
	void start() {
		this.tokenEndpoint = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/token", this::token))
			.bindNow();
	}

	@AfterEach
	void stop() {
		this.tokenEndpoint.disposeNow();
	}

	@Test
	void concurrentCallersShareOneTokenRequest() {
		OAuth2ClientCredentials credentials = credentials(new LiteralSecret("s3cret"));
		List<Map<String, String>> headers = Flux.range(0, 50)
			.flatMap((i) -> credentials.headers(request()), 50)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(headers).hasSize(50)
			.allSatisfy((each) -> assertThat(each).containsEntry("Authorization", "Bearer token-1"));
		assertThat(this.requests).hasValue(1);
	}

	@Test
	void aTokenIsReplacedOnceTheSkewBeforeItExpires() {
		OAuth2ClientCredentials credentials = credentials(new LiteralSecret("s3cret"));
		assertThat(credentials.headers(request()).block()).containsEntry("Authorization", "Bearer token-1");
		this.clock.advance(Duration.ofSeconds(EXPIRES_IN).minus(SKEW).minusSeconds(1));
		assertThat(credentials.headers(request()).block()).containsEntry("Authorization", "Bearer token-1");
		this.clock.advance(Duration.ofSeconds(1));
		List<Map<String, String>> after = Flux.range(0, 20)
			.flatMap((i) -> credentials.headers(request()), 20)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(after).allSatisfy((each) -> assertThat(each).containsEntry("Authorization", "Bearer token-2"));
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void theRequestIsAClientCredentialsGrantWithScopesAndResource() {
		credentials(new LiteralSecret("s3cret")).headers(request()).block();
		assertThat(this.lastForm.get()).containsEntry("grant_type", "client_credentials")
			.containsEntry("scope", "mcp:read mcp:write")
			.containsEntry("resource", "https://target.example/mcp")
			.doesNotContainKey("client_secret");
		assertThat(this.lastAuthorization.get())
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString("atrium:s3cret".getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void aRefusedClientIsAClearErrorAndIsNotCached() {
		this.acceptedSecret.set("another");
		OAuth2ClientCredentials credentials = credentials(new LiteralSecret("s3cret"));
		assertThatExceptionOfType(OutboundCredentialsException.class)
			.isThrownBy(() -> credentials.headers(request()).block())
			.withMessageContaining("refused client 'atrium' with HTTP 401 invalid_client");
		// Once with the secret, once more with the secret read again.
		assertThat(this.requests).hasValue(2);
		this.acceptedSecret.set("s3cret");
		assertThat(credentials.headers(request()).block()).containsEntry("Authorization", "Bearer token-1");
		assertThat(this.requests).hasValue(3);
	}

	@Test
	void aFailingTokenEndpointIsNotCached() {
		this.failWith.set(503);
		OAuth2ClientCredentials credentials = credentials(new LiteralSecret("s3cret"));
		assertThatExceptionOfType(OutboundCredentialsException.class)
			.isThrownBy(() -> credentials.headers(request()).block())
			.withMessageContaining("HTTP 503");
		this.failWith.set(0);
		assertThat(credentials.headers(request()).block()).containsEntry("Authorization", "Bearer token-1");
		assertThat(this.requests).hasValue(2);
	}

	@Test
	void aSecretRotatedOnDiskIsReadAgainWhenTheTokenEndpointRefusesTheOldOne(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("client-secret");
		Files.writeString(file, "s3cret\n");
		// Looked at again only after an hour: only the refusal makes it read sooner.
		FileSecret secret = new FileSecret(file, Duration.ofHours(1), this.clock);
		OAuth2ClientCredentials credentials = credentials(secret);
		assertThat(credentials.headers(request()).block()).containsEntry("Authorization", "Bearer token-1");
		Files.writeString(file, "rotated");
		this.acceptedSecret.set("rotated");
		this.clock.advance(Duration.ofSeconds(EXPIRES_IN));
		assertThat(credentials.headers(request()).block()).containsEntry("Authorization", "Bearer token-2");
		assertThat(this.requests).hasValue(3);
	}

	private OAuth2ClientCredentials credentials(SecretSource secret) {
		URI endpoint = URI.create("http://127.0.0.1:" + this.tokenEndpoint.port() + "/token");
		ClientRegistration registration = new ClientRegistration(endpoint, "atrium", secret,
				ClientRegistration.ClientAuthentication.CLIENT_SECRET_BASIC, List.of("mcp:read", "mcp:write"),
				List.of(URI.create("https://target.example/mcp")));
		return new OAuth2ClientCredentials(registration, HttpClient.create(), SKEW, Duration.ofSeconds(5), this.clock);
	}

	private static OutgoingRequest request() {
		return new OutgoingRequest("POST", URI.create("https://target.example/mcp"), Map.of(), new byte[0]);
	}

	private Mono<Void> token(HttpServerRequest request, HttpServerResponse response) {
		this.requests.incrementAndGet();
		String authorization = request.requestHeaders().get("Authorization");
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			this.lastForm.set(form(body));
			this.lastAuthorization.set(authorization);
			String expected = "Basic " + Base64.getEncoder()
				.encodeToString(("atrium:" + this.acceptedSecret.get()).getBytes(StandardCharsets.UTF_8));
			String answer;
			int status;
			if (this.failWith.get() != 0) {
				status = this.failWith.get();
				answer = "{\"error\":\"temporarily_unavailable\"}";
			}
			else if (!expected.equals(authorization)) {
				status = 401;
				answer = "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}";
			}
			else {
				status = 200;
				answer = "{\"access_token\":\"token-" + this.issued.incrementAndGet()
						+ "\",\"token_type\":\"Bearer\",\"expires_in\":" + EXPIRES_IN + "}";
			}
			// Slow enough that concurrent callers overlap.
			return Mono.delay(Duration.ofMillis(200))
				.then(response.status(status)
					.header("Content-Type", "application/json")
					.header("Cache-Control", "no-store")
					.sendString(Mono.just(answer))
					.then());
		});
	}

	private static Map<String, String> form(String body) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

}
