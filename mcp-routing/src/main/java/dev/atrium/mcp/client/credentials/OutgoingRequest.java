package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A request Atrium is about to send to a target, as it will go on the wire: what
 * credentials may sign.
 *
 * @param method the HTTP method
 * @param uri the full URI, with its query
 * @param headers the headers Atrium sets (the HTTP client adds others, such as
 * {@code Host}, {@code Content-Length} and {@code User-Agent}, which are not here)
 * @param body the exact body bytes; empty for none
 */
public record OutgoingRequest(String method, URI uri, Map<String, String> headers, byte[] body) {

	public OutgoingRequest {
		Objects.requireNonNull(method, "method");
		Objects.requireNonNull(uri, "uri");
		headers = Map.copyOf(headers);
		body = (body != null) ? body : new byte[0];
	}

}
