package dev.atrium.e2e.streams;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An SSE stream read one event at a time from a real connection, which the test can break
 * when it likes (closing it mid-stream, as a client whose network went away).
 */
final class SseEvents implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final HttpResponse<InputStream> response;

	private final BufferedReader reader;

	private SseEvents(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
	}

	static SseEvents open(HttpRequest request) {
		try {
			return new SseEvents(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static HttpRequest.Builder request(String url, String sessionId, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.header("Mcp-Session-Id", sessionId)
			.header("MCP-Protocol-Version", "2025-11-25");
		headers.forEach(request::header);
		return request;
	}

	int status() {
		return this.response.statusCode();
	}

	String contentType() {
		return this.response.headers().firstValue("Content-Type").orElse("");
	}

	/** The next event, or {@code null} at the end of the stream. */
	Event next() {
		try {
			String id = null;
			String retry = null;
			StringBuilder data = null;
			String line;
			while ((line = this.reader.readLine()) != null) {
				if (line.isEmpty()) {
					if (id != null || data != null || retry != null) {
						return new Event(id, retry, (data != null) ? data.toString() : null);
					}
					continue;
				}
				int colon = line.indexOf(':');
				String field = (colon < 0) ? line : line.substring(0, colon);
				String value = (colon < 0) ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
				switch (field) {
					case "id" -> id = value;
					case "retry" -> retry = value;
					case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
					default -> {
					}
				}
			}
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The rest of the body, for an answer that is not a stream. */
	String rest() {
		StringBuilder body = new StringBuilder();
		this.reader.lines().forEach(body::append);
		return body.toString();
	}

	/** Breaks the connection, whatever is still to come on it. */
	@Override
	public void close() {
		try {
			// The body itself: the reader's lock may be held by a thread reading it.
			this.response.body().close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One event.
	 *
	 * @param id its id, or {@code null}
	 * @param retry its {@code retry} field, or {@code null}
	 * @param data its data, or {@code null} when it had none
	 */
	record Event(String id, String retry, String data) {

		boolean priming() {
			return this.data == null || this.data.isBlank();
		}

	}

}
