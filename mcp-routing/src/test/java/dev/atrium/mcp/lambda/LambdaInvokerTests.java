package dev.atrium.mcp.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.atrium.testsupport.LocalLambdaApi;
import dev.atrium.testsupport.LocalLambdaApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invocations through the AWS SDK's Lambda client, pointed at a local server that speaks
 * the Invoke API and refuses requests not signed for {@code eu-west-1/lambda}.
 */
class LambdaInvokerTests {

	private static final LocalLambdaApi api = LocalLambdaApi.start("eu-west-1");

	private static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:weather";

	private final LambdaClient client = client("eu-west-1", api.url(), Duration.ofSeconds(5));

	@BeforeEach
	void reset() {
		api.reset();
	}

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	@AfterAll
	static void stop() {
		api.close();
	}

	@Test
	void theEventIsTheArgumentsAndTheClientContextNamesTheTool() {
		api.answer((invocation) -> Reply.ok("{\"celsius\":21}"));
		ObjectNode result = invoker(this.client, "live", Duration.ofSeconds(5))
			.call("get_forecast", Map.of("city", "Lyon", "days", 2))
			.block();

		assertThat(result.path("isError").asBoolean()).isFalse();
		assertThat(result.path("structuredContent").path("celsius").asInt()).isEqualTo(21);
		assertThat(api.invocations()).singleElement().satisfies((invocation) -> {
			assertThat(invocation.functionName()).isEqualTo(FUNCTION);
			assertThat(invocation.qualifier()).isEqualTo("live");
			assertThat(invocation.payload()).isIn("{\"city\":\"Lyon\",\"days\":2}", "{\"days\":2,\"city\":\"Lyon\"}");
			assertThat(invocation.clientContext()).contains("\"bedrockAgentCoreToolName\":\"weather___get_forecast\"");
			assertThat(invocation.headers()).containsEntry("x-amz-invocation-type", "RequestResponse");
			assertThat(invocation.headers().get("authorization")).contains("Credential=AKIDLOCAL/")
				.contains("/eu-west-1/lambda/aws4_request");
		});
	}

	@Test
	void noArgumentsAreAnEmptyEventAndNoQualifierIsNone() {
		invoker(this.client, null, Duration.ofSeconds(5)).call("ping", null).block();
		assertThat(api.invocations()).singleElement().satisfies((invocation) -> {
			assertThat(invocation.payload()).isEqualTo("{}");
			assertThat(invocation.qualifier()).isNull();
		});
	}

	@Test
	void aFunctionErrorIsAToolErrorWithTheFunctionsMessage() {
		api.answer((invocation) -> Reply.functionFailed("ValueError", "city unknown"));
		ObjectNode result = invoker(this.client, null, Duration.ofSeconds(5)).call("get_forecast", Map.of()).block();
		assertThat(result.toString())
			.isEqualTo("{\"content\":[{\"type\":\"text\",\"text\":\"city unknown\"}],\"isError\":true}");
	}

	@Test
	void aMissingFunctionIsAToolErrorThatSaysSo() {
		api.answer((invocation) -> Reply.serviceError(404, "ResourceNotFoundException",
				"Function not found: " + FUNCTION));
		ObjectNode result = invoker(this.client, null, Duration.ofSeconds(5)).call("get_forecast", Map.of()).block();
		assertThat(result.path("isError").asBoolean()).isTrue();
		assertThat(text(result)).isEqualTo("Lambda function " + FUNCTION
				+ " could not be invoked: ResourceNotFoundException (HTTP 404): Function not found: " + FUNCTION);
	}

	@Test
	void throttlingIsAToolErrorAndIsNotRetried() {
		api.answer((invocation) -> Reply.serviceError(429, "TooManyRequestsException", "Rate exceeded"));
		ObjectNode result = invoker(this.client, null, Duration.ofSeconds(5)).call("get_forecast", Map.of()).block();
		assertThat(text(result)).isEqualTo("Lambda function " + FUNCTION
				+ " could not be invoked: TooManyRequestsException (HTTP 429): Rate exceeded");
		assertThat(api.invocations()).hasSize(1);
	}

	@Test
	void aRequestSignedForAnotherRegionIsRefused() {
		try (LambdaClient elsewhere = client("us-east-1", api.url(), Duration.ofSeconds(5))) {
			ObjectNode result = invoker(elsewhere, null, Duration.ofSeconds(5)).call("get_forecast", Map.of()).block();
			assertThat(text(result)).contains("InvalidSignatureException (HTTP 403)");
		}
		assertThat(api.invocations()).isEmpty();
	}

	@Test
	void aFunctionThatDoesNotAnswerInTimeIsAToolError() {
		api.answer((invocation) -> Reply.never());
		Duration timeout = Duration.ofMillis(300);
		try (LambdaClient impatient = client("eu-west-1", api.url(), timeout)) {
			ObjectNode result = invoker(impatient, null, timeout).call("get_forecast", Map.of())
				.block(Duration.ofSeconds(5));
			assertThat(text(result)).isEqualTo("Lambda function " + FUNCTION + " did not answer within PT0.3S");
		}
	}

	@Test
	void anUnreachableEndpointIsAToolErrorWithoutAStackTrace() {
		try (LambdaClient nowhere = client("eu-west-1", URI.create("http://127.0.0.1:1"), Duration.ofSeconds(5))) {
			ObjectNode result = invoker(nowhere, null, Duration.ofSeconds(5)).call("get_forecast", Map.of()).block();
			assertThat(result.path("isError").asBoolean()).isTrue();
			assertThat(text(result)).startsWith("Lambda function " + FUNCTION + " could not be invoked: ")
				.doesNotContain("\tat ");
		}
	}

	private static LambdaInvoker invoker(LambdaClient client, String qualifier, Duration timeout) {
		return new LambdaInvoker(client, "weather", FUNCTION, qualifier, timeout);
	}

	private static LambdaClient client(String region, URI endpoint, Duration timeout) {
		return LambdaInvoker.client(region, endpoint,
				StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-lambda-secret")),
				timeout);
	}

	private static String text(ObjectNode result) {
		return result.path("content").get(0).path("text").asString();
	}

}
