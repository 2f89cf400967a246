package dev.atrium.e2e.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bare streamable HTTP client for tests that need to see the wire: statuses, headers,
 * and which replica a request goes to. Real MCP clients are {@link TsSdkClient} and the
 * Java SDK.
 */
public final class Mcp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Mcp() {
	}

	/** Sends {@code initialize} and returns the answer, with the session id header. */
	public static Response initialize(String url) {
		return initialize(url, Map.of());
	}

	/** Sends {@code initialize} with extra headers, e.g. {@code Authorization}. */
	public static Response initialize(String url, Map<String, String> headers) {
		return post(url, null, """
				{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25",
				 "capabilities":{},"clientInfo":{"name":"e2e-wire","version":"1"}}}""", headers);
	}

	public static Response post(String url, String sessionId, String body) {
		return post(url, sessionId, body, Map.of());
	}

	public static Response post(String url, String sessionId, String body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		if (sessionId != null) {
			request.header("Mcp-Session-Id", sessionId).header("MCP-Protocol-Version", "2025-11-25");
		}
		return send(request.build());
	}

	public static Response delete(String url, String sessionId) {
		return delete(url, sessionId, Map.of());
	}

	public static Response delete(String url, String sessionId, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.header("Mcp-Session-Id", sessionId)
			.DELETE();
		headers.forEach(request::header);
		return send(request.build());
	}

	private static Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().firstValue("Mcp-Session-Id").orElse(null),
					response.headers().firstValue("Content-Type").orElse(""), response.body(),
					response.headers().map());
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("request to " + request.uri() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One HTTP answer.
	 *
	 * @param status the status code
	 * @param sessionId the {@code Mcp-Session-Id} header, or {@code null}
	 * @param contentType the content type
	 * @param body the body
	 * @param headers every header, by lower-case name
	 */
	public record Response(int status, String sessionId, String contentType, String body,
			Map<String, List<String>> headers) {

		/** The first value of a header, or {@code null}. */
		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		/**
		 * The JSON-RPC message of the answer, whether JSON or a single-message SSE
		 * stream.
		 */
		public JsonNode json() {
			if (this.contentType.startsWith("text/event-stream")) {
				JsonNode last = null;
				for (String line : this.body.split("\n")) {
					if (line.startsWith("data:") && !line.substring(5).isBlank()) {
						JsonNode message = JSON.readTree(line.substring(5).strip());
						if (message.has("result") || message.has("error")) {
							last = message;
						}
					}
				}
				return last;
			}
			return JSON.readTree(this.body);
		}

	}

}
