package dev.atrium.gateway;

import java.time.Duration;
import java.util.Map;

import reactor.netty.http.client.HttpClient;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * What every MCP request of the route tests has in common: JSON in, JSON or SSE accepted,
 * the initialize message, and a token from the embedded STS.
 */
public final class McpRequests {

	public static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
			 "capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";

	private McpRequests() {
	}

	/**
	 * A client of a running Atrium on loopback. Every request gets its own connection:
	 * tests that are refused before their body is read (413, 406, 415) leave connections
	 * that the server closes, and a pooled client could pick one up for the next test.
	 */
	public static WebTestClient client(int port) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** Initialises a session and returns its {@code Mcp-Session-Id}, asserting 200. */
	public static String initialize(WebTestClient client, String path, String token) {
		return post(client, path, token, null).bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("Mcp-Session-Id");
	}

	/**
	 * A client-credentials token from the embedded STS, asserting 200.
	 * @param clientId an STS client allowed client credentials
	 * @param secret its secret
	 */
	public static String stsToken(WebTestClient client, String clientId, String secret) {
		Map<?, ?> body = client.post()
			.uri("/sts/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(clientId, secret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (String) body.get("access_token");
	}

	/** A POST to an MCP endpoint, with a bearer token and a session when given. */
	public static WebTestClient.RequestBodySpec post(WebTestClient client, String path, String token, String session) {
		WebTestClient.RequestBodySpec request = client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM);
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (session != null) {
			request.header("Mcp-Session-Id", session);
		}
		return request;
	}

}
