package dev.atrium.testsupport;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request a {@link LocalJwksServer} received, failed ones included.
 *
 * @param method the HTTP method
 * @param path the raw path, without the query
 * @param query the raw query, or {@code null}
 * @param headers the request headers, names in lower case
 * @param receivedAt when it arrived, by the server's clock
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
		Instant receivedAt) {

	public RecordedRequest {
		headers = Map.copyOf(headers);
	}

}
