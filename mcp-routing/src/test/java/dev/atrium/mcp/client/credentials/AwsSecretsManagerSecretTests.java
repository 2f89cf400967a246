package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.atrium.testsupport.MutableClock;
import dev.atrium.testsupport.SigV4Verifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Secrets from AWS Secrets Manager, through the SDK's client pointed at a local endpoint
 * that speaks {@code secretsmanager.GetSecretValue} (AWS JSON 1.1) and checks the
 * client's SigV4 signature.
 */
class AwsSecretsManagerSecretTests {

	private static final String SECRET_KEY = "local-secretsmanager-test-key";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicReference<String> secretString = new AtomicReference<>(
			"{\"client_secret\":\"v1\",\"other\":\"x\"}");

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicReference<String> failure = new AtomicReference<>();

	private DisposableServer endpoint;

	private SecretsManagerClient client;

	@BeforeEach
	void start() {
		this.endpoint = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/", this::getSecretValue))
			.bindNow();
		this.client = AwsSecretsManagerSecret.client("us-east-1",
				URI.create("http://127.0.0.1:" + this.endpoint.port()),
				StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", SECRET_KEY)));
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.endpoint.disposeNow();
	}

	@Test
	void aKeyOfAJsonSecretIsItsValue() {
		AwsSecretsManagerSecret secret = secret("client_secret");
		assertThat(secret.value().block()).isEqualTo("v1");
		assertThat(this.failure.get()).isNull();
	}

	@Test
	void aSecretWithoutKeyIsTheWholeString() {
		this.secretString.set("plain-value");
		assertThat(secret(null).value().block()).isEqualTo("plain-value");
	}

	@Test
	void aRotationIsPickedUpAfterTheRefreshIntervalWithOneCallForAllCallers() {
		AwsSecretsManagerSecret secret = secret("client_secret");
		assertThat(secret.value().block()).isEqualTo("v1");
		this.secretString.set("{\"client_secret\":\"v2\"}");
		assertThat(secret.value().block()).as("within the refresh interval").isEqualTo("v1");
		this.clock.advance(Duration.ofMinutes(5));
		List<String> values = Flux.range(0, 20).flatMap((i) -> secret.value(), 20).collectList().block();
		assertThat(values).containsOnly("v2");
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void theValueFetchedLastStaysWhenSecretsManagerFails() {
		AwsSecretsManagerSecret secret = secret("client_secret");
		assertThat(secret.value().block()).isEqualTo("v1");
		this.secretString.set(null);
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(secret.value().block()).isEqualTo("v1");
		assertThatExceptionOfType(OutboundCredentialsException.class).isThrownBy(() -> secret.reread().block())
			.withMessageStartingWith("Cannot read AWS secret atrium/target (key client_secret)");
	}

	@Test
	void aMissingKeyIsAnErrorNamingTheSecretAndKey() {
		assertThatExceptionOfType(OutboundCredentialsException.class).isThrownBy(() -> secret("absent").value().block())
			.withMessage("AWS secret atrium/target (key absent) has no string at that key");
	}

	private AwsSecretsManagerSecret secret(String key) {
		return new AwsSecretsManagerSecret(this.client, "atrium/target", key, Duration.ofMinutes(5), this.clock);
	}

	private Mono<Void> getSecretValue(HttpServerRequest request, HttpServerResponse response) {
		this.calls.incrementAndGet();
		return request.receive().aggregate().asByteArray().flatMap((body) -> {
			Map<String, List<String>> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach((header) -> headers.computeIfAbsent(header.getKey(), (name) -> new ArrayList<>())
					.add(header.getValue()));
			SigV4Verifier.Result verdict = new SigV4Verifier(SECRET_KEY, "us-east-1", "secretsmanager")
				.verify(request.method().name(), request.uri(), "", headers, body);
			if (!verdict.valid()) {
				this.failure.set(verdict.reason());
				return error(response, 403, "InvalidSignatureException");
			}
			if (!"secretsmanager.GetSecretValue".equals(request.requestHeaders().get("X-Amz-Target"))) {
				return error(response, 400, "UnknownOperationException");
			}
			String secretId = JSON.readTree(body).path("SecretId").asString();
			String value = this.secretString.get();
			if (!"atrium/target".equals(secretId) || value == null) {
				return error(response, 400, "ResourceNotFoundException");
			}
			ObjectNode answer = JSON.createObjectNode();
			answer.put("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:atrium/target-AbCdEf");
			answer.put("Name", secretId);
			answer.put("SecretString", value);
			answer.put("VersionId", "v-" + this.calls.get());
			return response.header("Content-Type", "application/x-amz-json-1.1")
				.sendString(Mono.just(answer.toString()))
				.then();
		});
	}

	private static Mono<Void> error(HttpServerResponse response, int status, String type) {
		return response.status(status)
			.header("Content-Type", "application/x-amz-json-1.1")
			.header("x-amzn-ErrorType", type)
			.sendString(Mono.just("{\"__type\":\"" + type + "\",\"message\":\"" + type + "\"}"))
			.then();
	}

}
