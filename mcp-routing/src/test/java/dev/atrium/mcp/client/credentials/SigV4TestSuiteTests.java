package dev.atrium.mcp.client.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.atrium.testsupport.SigV4Verifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signer against AWS's published SigV4 test suite (see the source note in
 * {@code sigv4/aws-sig-v4-test-suite.json}): with the suite's credentials and a clock
 * fixed at its time, the {@code Authorization} header is the suite's to the byte. The
 * independent verifier used by the endpoint tests is held to the same vectors.
 */
class SigV4TestSuiteTests {

	private static final JsonNode SUITE = load();

	static Stream<JsonNode> vectors() {
		return SUITE.get("vectors").valueStream();
	}

	static Stream<JsonNode> signedBodyVectors() {
		return vectors().filter((vector) -> vector.get("signBody").asBoolean());
	}

	static Stream<JsonNode> unsignedBodyVectors() {
		return vectors().filter((vector) -> !vector.get("signBody").asBoolean());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("signedBodyVectors")
	void signerReproducesThePublishedAuthorizationHeader(JsonNode vector) {
		Map<String, String> added = signer().headers(request(vector)).block();
		assertThat(added).containsEntry("Authorization", vector.get("authorization").asString())
			.containsEntry("X-Amz-Date", "20150830T123600Z")
			.doesNotContainKey("Host");
	}

	/**
	 * The SDK always signs {@code x-amz-content-sha256}, so these vectors' published
	 * headers cannot come out; their canonical request does, with that one header more.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("unsignedBodyVectors")
	void signerBuildsThePublishedCanonicalRequestWithThePayloadHashHeader(JsonNode vector) {
		OutgoingRequest request = request(vector);
		Map<String, String> added = signer().headers(request).block();
		Map<String, List<String>> received = new LinkedHashMap<>();
		request.headers().forEach((name, value) -> received.put(name, List.of(value)));
		added.forEach((name, value) -> received.put(name, List.of(value)));
		received.put("Host", List.of(request.uri().getHost()));
		SigV4Verifier.Result result = verifier().verify(request.method(), request.uri().getRawPath(),
				request.uri().getRawQuery(), received, request.body());
		assertThat(result.valid()).as(result.reason()).isTrue();
		String emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
		String published = vector.get("canonicalRequest").asString();
		assertThat(result.canonicalRequest())
			.isEqualTo(published.replace("x-amz-date:", "x-amz-content-sha256:" + emptyHash + "\nx-amz-date:")
				.replace("\nhost;x-amz-date\n", "\nhost;x-amz-content-sha256;x-amz-date\n"));
		assertThat(added).containsEntry("x-amz-content-sha256", emptyHash);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void verifierRebuildsThePublishedCanonicalRequestAndSignature(JsonNode vector) {
		URI uri = URI.create(vector.get("uri").asString());
		Map<String, List<String>> headers = new LinkedHashMap<>();
		vector.get("headers")
			.properties()
			.forEach((entry) -> headers.put(entry.getKey(), List.of(entry.getValue().asString())));
		headers.put("Host", List.of(uri.getHost()));
		headers.put("X-Amz-Date", List.of("20150830T123600Z"));
		headers.put("Authorization", List.of(vector.get("authorization").asString()));
		if (vector.get("signBody").asBoolean()) {
			String hash = vector.get("canonicalRequest").asString().lines().toList().getLast();
			headers.put("x-amz-content-sha256", List.of(hash));
		}
		SigV4Verifier.Result result = verifier().verify(vector.get("method").asString(), uri.getRawPath(),
				uri.getRawQuery(), headers, vector.get("body").asString().getBytes(StandardCharsets.UTF_8));
		assertThat(result.canonicalRequest()).isEqualTo(vector.get("canonicalRequest").asString());
		assertThat(result.stringToSign()).isEqualTo(vector.get("stringToSign").asString());
		assertThat(result.signature()).isEqualTo(vector.get("signature").asString());
		assertThat(result.valid()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vectors")
	void verifierRefusesAnotherBody(JsonNode vector) {
		URI uri = URI.create(vector.get("uri").asString());
		Map<String, List<String>> headers = new LinkedHashMap<>();
		vector.get("headers")
			.properties()
			.forEach((entry) -> headers.put(entry.getKey(), List.of(entry.getValue().asString())));
		headers.put("Host", List.of(uri.getHost()));
		headers.put("X-Amz-Date", List.of("20150830T123600Z"));
		headers.put("Authorization", List.of(vector.get("authorization").asString()));
		SigV4Verifier.Result result = verifier().verify(vector.get("method").asString(), uri.getRawPath(),
				uri.getRawQuery(), headers, "tampered".getBytes(StandardCharsets.UTF_8));
		assertThat(result.valid()).isFalse();
	}

	private static SigV4Credentials signer() {
		Clock clock = Clock.fixed(Instant.parse(SUITE.get("timestamp").asString()), ZoneOffset.UTC);
		return new SigV4Credentials(SUITE.get("region").asString(), SUITE.get("service").asString(),
				StaticCredentialsProvider.create(AwsBasicCredentials.create(SUITE.get("accessKeyId").asString(),
						SUITE.get("secretAccessKey").asString())),
				clock);
	}

	private static SigV4Verifier verifier() {
		return new SigV4Verifier(SUITE.get("secretAccessKey").asString(), SUITE.get("region").asString(),
				SUITE.get("service").asString());
	}

	private static OutgoingRequest request(JsonNode vector) {
		Map<String, String> headers = new LinkedHashMap<>();
		vector.get("headers").properties().forEach((entry) -> headers.put(entry.getKey(), entry.getValue().asString()));
		return new OutgoingRequest(vector.get("method").asString(), URI.create(vector.get("uri").asString()), headers,
				vector.get("body").asString().getBytes(StandardCharsets.UTF_8));
	}

	private static JsonNode load() {
		try (InputStream in = SigV4TestSuiteTests.class.getResourceAsStream("/sigv4/aws-sig-v4-test-suite.json")) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
