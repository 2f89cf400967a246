package dev.atrium.mcp.session;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.mcp.client.UpstreamSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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
 * @param capabilities what the client declared it can answer ({@code roots},
 * {@code sampling}, {@code elicitation}), told to 2026-07-28 targets, which have no
 * session to learn it from; empty when it declared none of them
 */
public record ClientSession(String scenario, Instant issuedAt, String protocolVersion, String caller,
		Map<String, UpstreamSession> upstreams, ObjectNode capabilities) {

	/** The client capabilities that a server may ask the client to use. */
	public static final List<String> ANSWERABLE = List.of("roots", "sampling", "elicitation");

	public ClientSession {
		upstreams = Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
		capabilities = answerable(capabilities);
	}

	public ClientSession(String scenario, Instant issuedAt, String protocolVersion, String caller,
			Map<String, UpstreamSession> upstreams) {
		this(scenario, issuedAt, protocolVersion, caller, upstreams, null);
	}

	/** Only the capabilities a server may ask through, each an object, copied. */
	private static ObjectNode answerable(JsonNode declared) {
		ObjectNode kept = JsonNodeFactory.instance.objectNode();
		if (declared != null) {
			ANSWERABLE.forEach((name) -> {
				if (declared.get(name) instanceof ObjectNode capability) {
					kept.set(name, capability.deepCopy());
				}
			});
		}
		return kept;
	}

}
