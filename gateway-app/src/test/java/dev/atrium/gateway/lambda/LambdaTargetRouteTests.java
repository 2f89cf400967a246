package dev.atrium.gateway.lambda;

import java.util.Locale;

import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.openapi.InternalRouteSecret;
import dev.atrium.testsupport.LocalLambdaApi;
import dev.atrium.testsupport.LocalLambdaApi.Reply;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An AWS Lambda function federated as the target {@code weather}, configured by
 * {@code application-lambda-target.yml}: its configured tools are tools of the scenario,
 * a call invokes the function through the AWS SDK (pointed at a local Invoke API that
 * wants a SigV4 signature for {@code eu-west-1/lambda}) with the arguments as the event
 * and the tool in the client context, and the in-process MCP server behind it is not
 * reachable from outside.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lambda-target")
class LambdaTargetRouteTests {

	static final LocalLambdaApi lambda = LocalLambdaApi.start("eu-west-1");

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	WebTestClient client;

	String token;

	@DynamicPropertySource
	static void localLambda(DynamicPropertyRegistry registry) {
		registry.add("local-lambda.endpoint", () -> lambda.url().toString());
	}

	@AfterAll
	static void stop() {
		lambda.close();
	}

	@BeforeEach
	void setUp() {
		this.client = McpRequests.client(this.port);
		this.token = McpRequests.stsToken(this.client, "local-dev", "local-dev-secret");
		lambda.reset();
		lambda.answer((invocation) -> invocation.clientContext().contains("\"weather___cancel_alert\"")
				? Reply.functionFailed("AlertNotFound", "no alert with id a-404")
				: Reply.ok("{\"city\":\"Lyon\",\"celsius\":21.5}"));
	}

	@Test
	void theConfiguredToolsAreToolsOfTheScenario() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", this.token);
		McpRequests.post(this.client, "/internal/mcp", this.token, session)
			.bodyValue("""
					{"jsonrpc":"2.0","id":2,"method":"tools/list"}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.tools[?(@.name =~ /weather___.*/)].name")
			.value((names) -> assertThat(names).asInstanceOf(InstanceOfAssertFactories.list(String.class))
				.containsExactlyInAnyOrder("weather___get_forecast", "weather___cancel_alert"))
			.jsonPath("$.result.tools[?(@.name == 'weather___get_forecast')].title")
			.isEqualTo("Weather forecast")
			.jsonPath("$.result.tools[?(@.name == 'weather___get_forecast')].inputSchema.properties.days.maximum")
			.isEqualTo(7)
			.jsonPath("$.result.tools[?(@.name == 'weather___get_forecast')].inputSchema.required[0]")
			.isEqualTo("city")
			.jsonPath("$.result.tools[?(@.name == 'weather___get_forecast')].outputSchema.properties.celsius.type")
			.isEqualTo("number")
			.jsonPath("$.result.tools[?(@.name == 'weather___get_forecast')].annotations.readOnlyHint")
			.isEqualTo(true)
			.jsonPath("$.result.tools[?(@.name == 'weather___cancel_alert')].annotations.destructiveHint")
			.isEqualTo(true);
		assertThat(lambda.invocations()).as("listing tools does not invoke the function").isEmpty();
	}

	@Test
	void aToolCallInvokesTheFunctionWithTheArgumentsAsTheEventAndTheToolInTheClientContext() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", this.token);
		McpRequests.post(this.client, "/internal/mcp", this.token, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"weather___get_forecast","arguments":{"city":"Lyon","days":2}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.isError")
			.isEqualTo(false)
			.jsonPath("$.result.content[0].text")
			.isEqualTo("{\"city\":\"Lyon\",\"celsius\":21.5}")
			.jsonPath("$.result.structuredContent.celsius")
			.isEqualTo(21.5);

		assertThat(lambda.invocations()).singleElement().satisfies((invocation) -> {
			assertThat(invocation.functionName())
				.isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:weather-tools");
			assertThat(invocation.qualifier()).isEqualTo("live");
			assertThat(JSON.readTree(invocation.payload())).isEqualTo(JSON.readTree("{\"city\":\"Lyon\",\"days\":2}"));
			assertThat(JSON.readTree(invocation.clientContext())
				.path("custom")
				.path("bedrockAgentCoreToolName")
				.asString()).isEqualTo("weather___get_forecast");
			assertThat(invocation.headers()).containsEntry("x-amz-invocation-type", "RequestResponse")
				.doesNotContainKey(InternalRouteSecret.HEADER.toLowerCase(Locale.ROOT));
			assertThat(invocation.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
				.contains("/eu-west-1/lambda/aws4_request");
		});
	}

	@Test
	void aFunctionErrorIsAToolErrorWithTheFunctionsMessage() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", this.token);
		McpRequests.post(this.client, "/internal/mcp", this.token, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"weather___cancel_alert","arguments":{"id":"a-404"}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.isError")
			.isEqualTo(true)
			.jsonPath("$.result.content[0].text")
			.isEqualTo("no alert with id a-404");
		assertThat(lambda.invocations()).singleElement()
			.satisfies((invocation) -> assertThat(invocation.clientContext()).contains("\"weather___cancel_alert\""));
	}

	@Test
	void theInProcessServerIsNotFoundWithoutTheInternalSecret() {
		McpRequests.post(this.client, LambdaTargets.path("weather"), null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isNotFound();
		McpRequests.post(this.client, LambdaTargets.path("weather"), this.token, null)
			.header(InternalRouteSecret.HEADER, "guessed")
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(lambda.invocations()).isEmpty();
	}

}
