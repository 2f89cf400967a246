package dev.atrium.gateway.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.atrium.gateway.McpRequests;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One keep-alive connection carrying many refused requests in a row, as a client that
 * retries with a bad token does. A token of the STS is checked off the event loop and the
 * others on it, so answers are written from both; with Reactor Netty 1.3.6 about one
 * request in 300 then found the connection no longer reading and hung until its timeout
 * (reactor/reactor-netty#4361). Every request here must be answered, quickly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.session.keys[0].id=test",
				"atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters",
				"atrium.sts.clients.keep-alive.secret=keep-alive-secret",
				"atrium.sts.clients.keep-alive.grant-types=client-credentials",
				"atrium.sts.clients.keep-alive.scopes=mcp:read" })
class KeepAliveConnectionTests {

	private static final int REQUESTS = 1500;

	@LocalServerPort
	int port;

	@Test
	void aKeepAliveConnectionAnswersEveryRefusedRequestInARow() throws Exception {
		String token = McpRequests.stsToken(McpRequests.client(this.port), "keep-alive", "keep-alive-secret");
		List<String> badTokens = List.of(forged(token), "not-a-jwt", "a.b.c");
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		try (http) {
			for (int i = 0; i < REQUESTS; i++) {
				String bad = badTokens.get(i % badTokens.size());
				HttpResponse<String> response = send(http, bad, i);
				assertThat(response.statusCode()).as("request %d", i).isEqualTo(401);
				assertThat(response.headers().firstValue("WWW-Authenticate"))
					.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
			}
		}
	}

	private HttpResponse<String> send(HttpClient http, String token, int index)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/internal/mcp"))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.ofString(McpRequests.INITIALIZE))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (java.net.http.HttpTimeoutException ex) {
			throw new AssertionError("request " + index + " was not answered within 5 s", ex);
		}
	}

	/** The STS's token with one character of its signature changed. */
	private static String forged(String token) {
		int signature = token.lastIndexOf('.') + 1;
		char first = token.charAt(signature);
		return token.substring(0, signature) + ((first == 'A') ? 'B' : 'A') + token.substring(signature + 1);
	}

}
