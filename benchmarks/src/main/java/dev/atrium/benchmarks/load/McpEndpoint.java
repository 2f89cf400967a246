package dev.atrium.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One MCP endpoint as a client sees it: its URL, the bearer token it is sent (or none),
 * and the session its {@code initialize} opened (none for a stateless server). The
 * control-plane requests here are blocking: they run on the harness thread, never under
 * load.
 */
public record McpEndpoint(String name, URI uri, String token, String sessionId) {

	public static final String PROTOCOL_VERSION = "2025-11-25";

	public static final String ACCEPT = "application/json, text/event-stream";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/**
	 * Opens a session: {@code initialize}, then {@code notifications/initialized}.
	 * @return this endpoint with the session id the server gave (or none)
	 */
	public McpEndpoint initialize() {
		HttpResponse<String> response = post(null, McpMessages.initialize("atrium-bench"));
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					this.name + ": initialize answered " + response.statusCode() + ": " + response.body());
		}
		String session = response.headers().firstValue("Mcp-Session-Id").orElse(null);
		HttpResponse<String> initialized = post(session, McpMessages.INITIALIZED);
		if (initialized.statusCode() != 202) {
			throw new IllegalStateException(this.name + ": notifications/initialized answered "
					+ initialized.statusCode() + ": " + initialized.body());
		}
		return new McpEndpoint(this.name, this.uri, this.token, session);
	}

	/**
	 * Sends one message on this endpoint's session and returns the JSON-RPC message
	 * answered (the last {@code data} of an SSE answer).
	 */
	public JsonNode request(String body) {
		HttpResponse<String> response = post(this.sessionId, body);
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					this.name + ": answered HTTP " + response.statusCode() + " to " + body + ": " + response.body());
		}
		String text = response.body();
		if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
			String last = null;
			for (String line : text.split("\n")) {
				if (line.startsWith("data:")) {
					last = line.substring(5).trim();
				}
			}
			text = last;
		}
		return mapper.readTree(text);
	}

	HttpResponse<String> post(String session, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.uri)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", ACCEPT)
			.header("MCP-Protocol-Version", PROTOCOL_VERSION)
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (this.token != null) {
			request.header("Authorization", "Bearer " + this.token);
		}
		if (session != null) {
			request.header("Mcp-Session-Id", session);
		}
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(this.name + ": " + this.uri + " cannot be reached: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
