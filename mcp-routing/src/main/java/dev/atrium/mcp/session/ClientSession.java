package dev.atrium.mcp.session;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.mcp.client.UpstreamSession;

/**
 * What a client's {@code Mcp-Session-Id} carries, encrypted, so that any replica can
 * serve any request of the session without a shared store.
 *
 * @param scenario the scenario the session was opened on
 * @param issuedAt when the session was opened
 * @param protocolVersion the revision negotiated with the client
 * @param caller the id of the authenticated caller that opened the session, or
 * {@code null} for an anonymous one
 * @param upstreams the sessions opened with the scenario's targets, by target name; a
 * target missing here had no session when the client initialised
 */
public record ClientSession(String scenario, Instant issuedAt, String protocolVersion, String caller,
		Map<String, UpstreamSession> upstreams) {

	public ClientSession {
		upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
	}

}
