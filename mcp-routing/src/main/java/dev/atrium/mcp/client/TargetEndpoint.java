package dev.atrium.mcp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import dev.atrium.mcp.client.credentials.OutboundCredentials;

/**
 * Where and how Atrium reaches one target over the streamable HTTP transport. There is no
 * limit on a whole answer: a stream that keeps sending may run as long as it needs.
 *
 * @param name the target's name, unique in the gateway
 * @param uri the target's MCP endpoint
 * @param headers headers sent with every request to the target
 * @param connectTimeout longest wait for a TCP connection
 * @param firstByteTimeout longest wait from sending a request to the head of its answer
 * @param idleTimeout longest silence once an answer has begun (between the events of a
 * stream, or before the body of a JSON answer)
 * @param credentials how Atrium proves itself to the target; their headers override
 * {@code headers} of the same name
 * @param busyRetry whether and how requests are sent again while the target says their
 * session is busy
 * @param era whether the target opens sessions, or is to be asked
 */
public record TargetEndpoint(String name, URI uri, Map<String, String> headers, Duration connectTimeout,
		Duration firstByteTimeout, Duration idleTimeout, OutboundCredentials credentials, BusySessionRetry busyRetry,
		TargetEra era) {

	/** A target whose era is asked. */
	public TargetEndpoint(String name, URI uri, Map<String, String> headers, Duration connectTimeout,
			Duration firstByteTimeout, Duration idleTimeout, OutboundCredentials credentials,
			BusySessionRetry busyRetry) {
		this(name, uri, headers, connectTimeout, firstByteTimeout, idleTimeout, credentials, busyRetry, TargetEra.AUTO);
	}

	/** A target whose busy answers go to the caller as they are. */
	public TargetEndpoint(String name, URI uri, Map<String, String> headers, Duration connectTimeout,
			Duration firstByteTimeout, Duration idleTimeout, OutboundCredentials credentials) {
		this(name, uri, headers, connectTimeout, firstByteTimeout, idleTimeout, credentials, BusySessionRetry.NONE);
	}

	/** A target that needs no credentials. */
	public TargetEndpoint(String name, URI uri, Map<String, String> headers, Duration connectTimeout,
			Duration firstByteTimeout, Duration idleTimeout) {
		this(name, uri, headers, connectTimeout, firstByteTimeout, idleTimeout, OutboundCredentials.NONE);
	}

	public TargetEndpoint {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(uri, "uri");
		headers = Map.copyOf(headers);
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(firstByteTimeout, "firstByteTimeout");
		Objects.requireNonNull(idleTimeout, "idleTimeout");
		Objects.requireNonNull(credentials, "credentials");
		Objects.requireNonNull(busyRetry, "busyRetry");
		Objects.requireNonNull(era, "era");
	}

}
