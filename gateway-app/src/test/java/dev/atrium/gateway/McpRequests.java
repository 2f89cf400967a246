package dev.atrium.gateway;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every MCP request of the route tests has in common: JSON in, JSON or SSE accepted,
 * and the initialize message.
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
