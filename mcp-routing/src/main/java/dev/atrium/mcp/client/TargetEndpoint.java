package dev.atrium.mcp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how Atrium reaches one target over the streamable HTTP transport.
 *
 * @param name the target's name, unique in the gateway
 * @param uri the target's MCP endpoint
 * @param headers headers sent with every request to the target
 * @param connectTimeout longest wait for a TCP connection
 * @param responseTimeout longest wait for the target's next bytes while a request is open
 * (first byte, and between the events of a stream)
 */
public record TargetEndpoint(String name, URI uri, Map<String, String> headers, Duration connectTimeout,
		Duration responseTimeout) {

	public TargetEndpoint {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(uri, "uri");
		headers = Map.copyOf(headers);
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(responseTimeout, "responseTimeout");
	}

}
