package dev.atrium.e2e.targets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkClients;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.SigV4CheckingProxy;
import dev.atrium.e2e.support.StsTokens;
import dev.atrium.testsupport.LocalLambdaApi;
import dev.atrium.testsupport.LocalPetsApi;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Atrium with a target of every kind, each in front of a real local peer, called by
 * the MCP Java SDK's client through {@code /internal/mcp} with tokens of the embedded
 * STS: {@code notes}, an MCP server at a URL (MCP Java SDK); {@code forecast}, an
 * AgentCore Runtime, played by an endpoint that recomputes every SigV4 signature in front
 * of an MCP Java SDK server; {@code pets}, a REST API described by OpenAPI
 * ({@link LocalPetsApi}); {@code weather}, a Lambda function behind a local Invoke API
 * ({@link LocalLambdaApi}).
 */
class TargetKindsEndToEndTests {

	static final String RUNTIME_ARN = "arn:aws:bedrock-agentcore:eu-central-1:123456789012:runtime/forecast-AbC12dEf3G";

	static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:weather-tools";

	static final String ACCESS_KEY_ID = "AKIDEXAMPLE";

	static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

	static final String CLIENT_SECRET = "target-kinds-e2e-client-secret-0123456789";

	static JavaSdkUpstream notes;

	static JavaSdkUpstream forecastServer;

	static SigV4CheckingProxy forecastRuntime;

	static LocalPetsApi pets;

	static LocalLambdaApi lambda;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		notes = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("notes"));
		forecastServer = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("forecast"));
		forecastRuntime = SigV4CheckingProxy.agentCoreRuntime(forecastServer.mcpUrl(), RUNTIME_ARN, "prod",
				SECRET_ACCESS_KEY);
		pets = LocalPetsApi.start();
		lambda = LocalLambdaApi.start("eu-west-1");
		lambda.answer((invocation) -> LocalLambdaApi.Reply.ok("{\"city\":\"Lyon\",\"celsius\":21.5}"));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.targets.notes.url", notes.mcpUrl());

		properties.put("atrium.targets.forecast.agentcore.runtime-arn", RUNTIME_ARN);
		properties.put("atrium.targets.forecast.agentcore.qualifier", "prod");
		properties.put("atrium.targets.forecast.agentcore.endpoint", forecastRuntime.url());
		properties.putAll(sigV4("forecast"));

		properties.put("atrium.targets.pets.openapi.spec", LocalPetsApi.spec().toString());
		properties.put("atrium.targets.pets.openapi.base-url", pets.url());
		properties.put("atrium.targets.pets.openapi.operations", "listPets,showPetById");

		properties.put("atrium.targets.weather.lambda.function-name", FUNCTION_ARN);
		properties.put("atrium.targets.weather.lambda.qualifier", "live");
		properties.put("atrium.targets.weather.lambda.endpoint", lambda.url().toString());
		properties.put("atrium.targets.weather.lambda.tools[0].name", "get_forecast");
		properties.put("atrium.targets.weather.lambda.tools[0].description", "The forecast for a city");
		properties.put("atrium.targets.weather.lambda.tools[0].input-schema", """
				{"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
				 "required": ["city"]}""");
		properties.put("atrium.targets.weather.lambda.tools[0].read-only-hint", "true");
		properties.putAll(sigV4("weather"));

		properties.put("atrium.scenarios.internal.targets", "notes,forecast,pets,weather");
		properties.put("atrium.scenarios.internal.issuers", "atrium-sts");
		properties.put("atrium.scenarios.internal.anonymous", "false");
		for (String client : List.of("alice-app", "bob-app")) {
			properties.put("atrium.sts.clients." + client + ".secret", CLIENT_SECRET);
			properties.put("atrium.sts.clients." + client + ".grant-types", "client-credentials");
			properties.put("atrium.sts.clients." + client + ".scopes", "mcp:read,mcp:write");
		}
		atrium = AtriumInstance.start(properties);
	}

	private static Map<String, String> sigV4(String target) {
		String prefix = "atrium.targets." + target + ".credentials.";
		return Map.of(prefix + "type", "sigv4", prefix + "access-key-id.value", ACCESS_KEY_ID,
				prefix + "secret-access-key.value", SECRET_ACCESS_KEY);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable peer : new AutoCloseable[] { atrium, forecastRuntime, forecastServer, notes, pets,
				lambda }) {
			if (peer != null) {
				try {
					peer.close();
				}
				catch (Exception ex) {
					// The others are stopped all the same.
				}
			}
		}
	}

	@Test
	void toolsListShowsTheToolsOfEveryKindOfTargetUnderTheTargetsPrefix() {
		McpSyncClient client = connect("alice-app");
		try {
			List<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
			assertThat(names).contains("notes___reverse", "notes___multiply", "forecast___reverse",
					"forecast___multiply", "pets___listPets", "pets___showPetById", "weather___get_forecast");
			assertThat(names).noneMatch((name) -> name.startsWith("pets___deletePet"));
		}
		finally {
			client.closeGracefully();
		}
	}

	@Test
	void aCallReachesTheMcpServerAtTheTargetsUrl() {
		int calls = notes.requests("tools/call").size();
		assertThat(JavaSdkClients.text(call("alice-app", "notes___reverse", Map.of("text", "abc")))).isEqualTo("cba");
		assertThat(notes.requests("tools/call")).hasSize(calls + 1);
	}

	@Test
	void agentCoreRuntimeCallsAreSignedInvocationsWithOneRuntimeSessionPerUser() {
		int before = forecastRuntime.received("tools/call").size();
		int served = forecastServer.requests("tools/call").size();

		assertThat(JavaSdkClients.text(call("alice-app", "forecast___reverse", Map.of("text", "abc"))))
			.isEqualTo("cba");
		assertThat(JavaSdkClients.text(call("alice-app", "forecast___reverse", Map.of("text", "xyz"))))
			.isEqualTo("zyx");
		assertThat(JavaSdkClients.text(call("bob-app", "forecast___reverse", Map.of("text", "abc")))).isEqualTo("cba");

		List<SigV4CheckingProxy.Received> calls = forecastRuntime.received("tools/call");
		calls = calls.subList(before, calls.size());
		assertThat(calls).hasSize(3).allSatisfy((received) -> {
			assertThat(received.method()).isEqualTo("POST");
			assertThat(received.path()).isEqualTo("/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aeu-central-1%3A"
					+ "123456789012%3Aruntime%2Fforecast-AbC12dEf3G/invocations");
			assertThat(received.query()).isEqualTo("qualifier=prod");
			assertThat(received.verdict().valid()).as(received.verdict().reason()).isTrue();
			assertThat(received.header("authorization"))
				.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/")
				.contains("/eu-central-1/bedrock-agentcore/");
			assertThat(sessionOf(received)).matches("[0-9a-f]{64}");
		});
		assertThat(sessionOf(calls.get(1))).as("alice keeps her runtime session").isEqualTo(sessionOf(calls.get(0)));
		assertThat(sessionOf(calls.get(2))).as("bob has his own").isNotEqualTo(sessionOf(calls.get(0)));
		assertThat(forecastServer.requests("tools/call")).hasSize(served + 3);
	}

	@Test
	void anOpenApiOperationIsCalledAsATool() {
		pets.reset();
		McpSchema.CallToolResult result = call("alice-app", "pets___showPetById", Map.of("petId", "1"));
		assertThat(result.isError()).as(result.toString()).isNotEqualTo(Boolean.TRUE);
		assertThat(JavaSdkClients.text(result)).contains("\"name\":\"Rex\"");
		assertThat(pets.seen()).singleElement().satisfies((seen) -> {
			assertThat(seen.method()).isEqualTo("GET");
			assertThat(seen.uri()).isEqualTo("/v1/pets/1");
		});
	}

	@Test
	void aLambdaToolInvokesTheFunctionWithTheArgumentsAsItsEvent() {
		int invocations = lambda.invocations().size();
		McpSchema.CallToolResult result = call("alice-app", "weather___get_forecast",
				Map.of("city", "Lyon", "days", 2));
		assertThat(result.isError()).as(result.toString()).isNotEqualTo(Boolean.TRUE);
		assertThat(JavaSdkClients.text(result)).contains("21.5");
		assertThat(lambda.invocations()).hasSize(invocations + 1);
		LocalLambdaApi.Invocation invocation = lambda.invocations().getLast();
		assertThat(invocation.functionName()).isEqualTo(FUNCTION_ARN);
		assertThat(invocation.qualifier()).isEqualTo("live");
		assertThat(invocation.payload()).contains("\"city\":\"Lyon\"").contains("\"days\":2");
		assertThat(invocation.clientContext()).contains("weather___get_forecast");
	}

	private static McpSyncClient connect(String client) {
		String token = StsTokens.clientCredentials(atrium, client, CLIENT_SECRET);
		return JavaSdkClients.connect(atrium.mcpUrl("/internal"), Map.of("Authorization", "Bearer " + token));
	}

	/** A tool call in a session of its own. */
	private static McpSchema.CallToolResult call(String client, String tool, Map<String, Object> arguments) {
		McpSyncClient mcp = connect(client);
		try {
			return JavaSdkClients.callTool(mcp, tool, arguments);
		}
		finally {
			mcp.closeGracefully();
		}
	}

	private static String sessionOf(SigV4CheckingProxy.Received received) {
		return received.header("x-amzn-bedrock-agentcore-runtime-session-id");
	}

}
