package dev.atrium.gateway.sts;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.config.AtriumProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local default asks every scenario for a token, and the README's way to get one (the
 * local development client of the embedded STS) works; that client exists only on
 * loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalDefaultTests {

	@LocalServerPort
	int port;

	@Test
	void everyScenarioAsksForAToken() {
		WebTestClient client = McpRequests.client(this.port);
		for (String scenario : List.of("internal", "consumer", "enterprise", "third-party")) {
			McpRequests.post(client, "/" + scenario + "/mcp", null, null)
				.bodyValue(McpRequests.INITIALIZE)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
	}

	@Test
	void theLocalDevelopmentClientGetsATokenThatCallsTools() {
		WebTestClient client = McpRequests.client(this.port);
		String accessToken = McpRequests.stsToken(client, AtriumProperties.Sts.DEV_CLIENT, "local-dev-secret");
		String session = McpRequests.initialize(client, "/internal/mcp", accessToken);

		McpRequests.post(client, "/internal/mcp", accessToken, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"demo___add","arguments":{"a":2,"b":40}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("42"));
	}

	@Test
	void theLocalDevelopmentClientExistsOnlyOnLoopback() {
		AtriumProperties.Sts sts = new AtriumProperties.Sts(true, URI.create("http://localhost:8080/sts"),
				Duration.ofMinutes(5), null, Duration.ofHours(24), List.of(), null, List.of(), Map.of(), List.of(),
				new AtriumProperties.Revocation(null, Duration.ofMillis(250), false), "local-dev-secret");

		assertThat(StsConfiguration.devClient(sts, "127.0.0.1")).isPresent();
		assertThat(StsConfiguration.devClient(sts, "::1")).isPresent();
		assertThat(StsConfiguration.devClient(sts, "0.0.0.0")).isEmpty();
		assertThat(StsConfiguration.devClient(sts, "10.0.0.5")).isEmpty();
		assertThat(StsConfiguration.devClient(sts, null)).isEmpty();
	}

}
