package dev.atrium.gateway.federation;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.McpRequests;
import dev.atrium.testsupport.SigV4Verifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target configured by its AgentCore Runtime ARN, served by a local MCP server at the
 * endpoint override: Atrium calls the runtime's invocations URL (the ARN URL-encoded, the
 * qualifier as a query), signs with SigV4 for service {@code bedrock-agentcore} in the
 * runtime's region, sends a runtime session id per user (the same for every call of one
 * user, another for another user) and its User-Agent. The signature is recomputed from
 * what arrived ({@link SigV4Verifier}, itself checked against AWS's test vectors).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.session.keys[0].id=test",
				"atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters",
				"atrium.targets.weather.agentcore.runtime-arn=" + AgentCoreTargetRouteTests.ARN,
				"atrium.targets.weather.agentcore.qualifier=prod", "atrium.targets.weather.credentials.type=sigv4",
				"atrium.targets.weather.credentials.access-key-id.value=AKIDEXAMPLE",
				"atrium.targets.weather.credentials.secret-access-key.value="
						+ AgentCoreTargetRouteTests.SECRET_ACCESS_KEY,
				"atrium.scenarios.internal.targets=weather", "atrium.sts.clients.agent-b.secret=agent-b-secret",
				"atrium.sts.clients.agent-b.grant-types=client-credentials",
				"atrium.sts.clients.agent-b.scopes=mcp:read,mcp:write" })
class AgentCoreTargetRouteTests {

	static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

	static final String ARN = "arn:aws:bedrock-agentcore:eu-central-1:123456789012:runtime/weather-AbC12dEf3G";

	static final LocalMcpTarget runtime = LocalMcpTarget.start();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void endpoint(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.weather.agentcore.endpoint",
				() -> runtime.url().substring(0, runtime.url().indexOf("/mcp")));
	}

	@AfterAll
	static void stop() {
		runtime.close();
	}

	@Test
	void callsGoToTheRuntimesInvocationsUrlSignedForAgentCoreWithASessionPerUser() {
		WebTestClient client = McpRequests.client(this.port);
		String alice = McpRequests.stsToken(client, "local-dev", "local-dev-secret");
		String bob = McpRequests.stsToken(client, "agent-b", "agent-b-secret");
		runtime.reset();

		call(client, alice);
		call(client, alice);
		call(client, bob);

		List<LocalMcpTarget.Seen> calls = runtime.seen()
			.stream()
			.filter((seen) -> seen.method().equals("tools/call"))
			.toList();
		assertThat(calls).hasSize(3);
		assertThat(calls).allSatisfy((seen) -> {
			assertThat(seen.uri()).isEqualTo("/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aeu-central-1%3A123456789012"
					+ "%3Aruntime%2Fweather-AbC12dEf3G/invocations?qualifier=prod");
			assertThat(seen.headers().get("authorization"))
				.matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-central-1/bedrock-agentcore/aws4_request, "
						+ "SignedHeaders=.*, Signature=[0-9a-f]{64}");
			assertThat(seen.headers()).containsKey("x-amz-date");
			assertThat(seen.headers().get("user-agent")).startsWith("Atrium/");
			assertThat(seen.headers().get("x-amzn-bedrock-agentcore-runtime-session-id")).matches("[0-9a-f]{64}");
			SigV4Verifier.Result verdict = verify(seen);
			assertThat(verdict.valid()).as(verdict.reason()).isTrue();
		});
		String first = sessionOf(calls.get(0));
		assertThat(sessionOf(calls.get(1))).as("the same user keeps its microVM").isEqualTo(first);
		assertThat(sessionOf(calls.get(2))).as("another user gets another").isNotEqualTo(first);
	}

	private static void call(WebTestClient client, String token) {
		String session = McpRequests.initialize(client, "/internal/mcp", token);
		McpRequests.post(client, "/internal/mcp", token, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"weather___echo","arguments":{"message":"hi"}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.content[0].text")
			.isEqualTo("hi");
	}

	private static SigV4Verifier.Result verify(LocalMcpTarget.Seen seen) {
		URI uri = URI.create(seen.uri());
		Map<String, List<String>> headers = new LinkedHashMap<>();
		seen.headers().forEach((name, value) -> headers.put(name, List.of(value)));
		return new SigV4Verifier(SECRET_ACCESS_KEY, "eu-central-1", "bedrock-agentcore").verify("POST",
				uri.getRawPath(), uri.getRawQuery(), headers, seen.body().getBytes(StandardCharsets.UTF_8));
	}

	private static String sessionOf(LocalMcpTarget.Seen seen) {
		return seen.headers().get("x-amzn-bedrock-agentcore-runtime-session-id");
	}

}
