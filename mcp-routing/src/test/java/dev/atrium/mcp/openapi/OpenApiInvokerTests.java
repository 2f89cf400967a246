package dev.atrium.mcp.openapi;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.atrium.mcp.client.credentials.ApiKeyCredentials;
import dev.atrium.mcp.client.credentials.LiteralSecret;
import dev.atrium.mcp.client.credentials.OutboundCredentials;
import dev.atrium.testsupport.LocalPetsApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools called against a real REST API on loopback: where each argument goes, what the
 * model sees of answers and failures, and the credentials on every request.
 */
class OpenApiInvokerTests {

	static final LocalPetsApi api = LocalPetsApi.start();

	static final Map<String, OpenApiOperation> operations = OpenApiToolConverter
		.tools(OpenApiDocuments.load(LocalPetsApi.spec().toString()), Set.of())
		.stream()
		.collect(Collectors.toMap(OpenApiTool::name, OpenApiTool::operation));

	final OpenApiInvoker invoker = invoker(Duration.ofSeconds(5), OutboundCredentials.NONE);

	@AfterAll
	static void stop() {
		api.close();
	}

	@BeforeEach
	void reset() {
		api.reset();
	}

	@Test
	void queryAndHeaderParametersArePlacedAndEncoded() {
		ObjectNode result = call(this.invoker, "listPets",
				Map.of("kind", "dog & cat", "limit", 5, "X-Request-Id", "req-1"));

		assertThat(result.get("isError").asBoolean()).isFalse();
		LocalPetsApi.Seen seen = api.seen().get(0);
		assertThat(seen.method()).isEqualTo("GET");
		assertThat(seen.uri()).startsWith("/v1/pets?").contains("kind=dog%20%26%20cat").contains("limit=5");
		assertThat(seen.headers()).containsEntry("x-request-id", "req-1").containsEntry("accept", "application/json");
	}

	@Test
	void aPathParameterIsOneEncodedSegment() {
		call(this.invoker, "deletePet", Map.of("petId", "a/b?c d"));

		assertThat(api.seen().get(0).uri()).isEqualTo("/v1/pets/a%2Fb%3Fc%20d");
		assertThat(api.seen().get(0).method()).isEqualTo("DELETE");
	}

	@Test
	void theBodyArgumentIsSentAsJson() {
		ObjectNode result = call(this.invoker, "create_pet", Map.of("body", Map.of("name", "Tom", "kind", "cat")));

		LocalPetsApi.Seen seen = api.seen().get(0);
		assertThat(seen.method()).isEqualTo("POST");
		assertThat(seen.headers()).containsEntry("content-type", "application/json");
		assertThat(seen.body()).contains("\"name\":\"Tom\"").contains("\"kind\":\"cat\"");
		assertThat(result.at("/structuredContent/id").asString()).isEqualTo("2");
	}

	@Test
	void aJsonObjectAnswerIsTextAndStructuredContent() {
		ObjectNode result = call(this.invoker, "showPetById", Map.of("petId", "1"));

		assertThat(result.get("isError").asBoolean()).isFalse();
		assertThat(result.at("/content/0/type").asString()).isEqualTo("text");
		assertThat(result.at("/content/0/text").asString())
			.isEqualTo("{\"id\":\"1\",\"name\":\"Rex\",\"kind\":\"dog\"}");
		assertThat(result.at("/structuredContent/name").asString()).isEqualTo("Rex");
	}

	@Test
	void anEmptyAnswerIsItsStatus() {
		ObjectNode result = call(this.invoker, "deletePet", Map.of("petId", "1"));

		assertThat(result.get("isError").asBoolean()).isFalse();
		assertThat(result.at("/content/0/text").asString()).isEqualTo("HTTP 204");
		assertThat(result.has("structuredContent")).isFalse();
	}

	@Test
	void aNotFoundIsAToolErrorWithTheStatusAndBody() {
		ObjectNode result = call(this.invoker, "showPetById", Map.of("petId", "7"));

		assertThat(result.get("isError").asBoolean()).isTrue();
		assertThat(result.at("/content/0/text").asString()).isEqualTo("HTTP 404: {\"error\":\"no such pet\"}");
	}

	@Test
	void aServerErrorIsAToolError() {
		ObjectNode result = call(this.invoker, "showPetById", Map.of("petId", "boom"));

		assertThat(result.get("isError").asBoolean()).isTrue();
		assertThat(result.at("/content/0/text").asString()).isEqualTo("HTTP 500: kaboom");
	}

	@Test
	void aLongErrorBodyIsTruncated() {
		String body = "x".repeat(10_000);
		ObjectNode result = OpenApiInvoker.result(502, body);

		assertThat(result.at("/content/0/text").asString()).hasSize("HTTP 502: ".length() + 4096 + 1);
	}

	@Test
	void anApiThatDoesNotAnswerInTimeIsAToolError() {
		OpenApiInvoker impatient = invoker(Duration.ofMillis(300), OutboundCredentials.NONE);

		ObjectNode result = call(impatient, "showPetById", Map.of("petId", "slow"));

		assertThat(result.get("isError").asBoolean()).isTrue();
		assertThat(result.at("/content/0/text").asString()).contains("/v1/pets/slow").contains("timed out after");
	}

	@Test
	void anUnreachableApiIsAToolError() {
		OpenApiInvoker nowhere = new OpenApiInvoker(URI.create("http://127.0.0.1:1/v1"), HttpClient.create(),
				Duration.ofSeconds(5), OutboundCredentials.NONE, Map.of());

		ObjectNode result = call(nowhere, "showPetById", Map.of("petId", "1"));

		assertThat(result.get("isError").asBoolean()).isTrue();
		assertThat(result.at("/content/0/text").asString()).startsWith("GET http://127.0.0.1:1/v1/pets/1 failed");
	}

	@Test
	void aMissingRequiredArgumentIsAToolErrorAndNothingIsSent() {
		ObjectNode result = call(this.invoker, "listPets", Map.of("kind", "dog"));

		assertThat(result.get("isError").asBoolean()).isTrue();
		assertThat(result.at("/content/0/text").asString()).isEqualTo("Missing required argument 'X-Request-Id'");
		ObjectNode noBody = call(this.invoker, "create_pet", Map.of());
		assertThat(noBody.at("/content/0/text").asString()).isEqualTo("Missing required argument 'body'");
		assertThat(api.seen()).isEmpty();
	}

	@Test
	void theTargetsHeadersAreOnEveryRequest() {
		call(this.invoker, "showPetById", Map.of("petId", "1"));

		assertThat(api.seen().get(0).headers()).containsEntry("x-tenant", "shop-1");
	}

	@Test
	void theTargetsCredentialsAreOnEveryRequest() {
		OpenApiInvoker withKey = invoker(Duration.ofSeconds(5),
				new ApiKeyCredentials("X-Api-Key", null, new LiteralSecret("pets-key")));

		call(withKey, "showPetById", Map.of("petId", "1"));
		call(withKey, "deletePet", Map.of("petId", "1"));

		assertThat(api.seen()).extracting((seen) -> seen.headers().get("x-api-key"))
			.containsExactly("pets-key", "pets-key");
	}

	private static OpenApiInvoker invoker(Duration timeout, OutboundCredentials credentials) {
		return new OpenApiInvoker(URI.create(api.url()), HttpClient.create(), timeout, credentials,
				Map.of("X-Tenant", "shop-1"));
	}

	private static ObjectNode call(OpenApiInvoker invoker, String tool, Map<String, Object> arguments) {
		return invoker.call(operations.get(tool), arguments).block(Duration.ofSeconds(10));
	}

}
