package dev.atrium.mcp.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.atrium.mcp.client.UpstreamSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seals a {@link ClientSession} into an opaque {@code Mcp-Session-Id} with AES-256-GCM
 * ({@link SealedBox}), and opens it again on any replica that holds the key ring. The
 * scenario is the associated data, so a session id opened on one scenario is refused on
 * another.
 */
public final class SessionCodec {

	private final SealedBox box;

	private final Duration lifetime;

	private final Clock clock;

	private final ObjectMapper mapper;

	public SessionCodec(SessionKeyRing keys, Duration lifetime, Clock clock, ObjectMapper mapper) {
		this.box = new SealedBox(keys);
		this.lifetime = lifetime;
		this.clock = clock;
		this.mapper = mapper;
	}

	/**
	 * What seals this codec's session ids, for other values that make a trip through the
	 * client and must come back unforged.
	 */
	public SealedBox box() {
		return this.box;
	}

	public String seal(ClientSession session) {
		return this.box.seal(this.mapper.writeValueAsBytes(toJson(session)), session.scenario());
	}

	/**
	 * Opens a session id presented on a scenario.
	 * @return the session, or empty when the id is malformed, sealed by an unknown key,
	 * tampered with, from another scenario or older than the lifetime
	 */
	public Optional<ClientSession> open(String sessionId, String scenario) {
		try {
			Optional<byte[]> plaintext = this.box.open(sessionId, scenario);
			if (plaintext.isEmpty()) {
				return Optional.empty();
			}
			ClientSession session = fromJson(this.mapper.readTree(plaintext.get()));
			if (!session.scenario().equals(scenario)
					|| session.issuedAt().plus(this.lifetime).isBefore(this.clock.instant())) {
				return Optional.empty();
			}
			return Optional.of(session);
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	private ObjectNode toJson(ClientSession session) {
		ObjectNode json = this.mapper.createObjectNode();
		json.put("s", session.scenario());
		json.put("t", session.issuedAt().getEpochSecond());
		json.put("v", session.protocolVersion());
		if (session.caller() != null) {
			json.put("c", session.caller());
		}
		if (!session.capabilities().isEmpty()) {
			json.set("k", session.capabilities());
		}
		ObjectNode upstreams = json.putObject("u");
		session.upstreams().forEach((target, upstream) -> {
			ArrayNode pair = upstreams.putArray(target);
			pair.add(upstream.sessionId());
			pair.add(upstream.protocolVersion());
			if (upstream.region() != null) {
				pair.add(upstream.region());
			}
		});
		return json;
	}

	private static ClientSession fromJson(JsonNode json) {
		Map<String, UpstreamSession> upstreams = new LinkedHashMap<>();
		json.required("u").properties().forEach((entry) -> {
			JsonNode pair = entry.getValue();
			String sessionId = pair.get(0).isNull() ? null : pair.get(0).asString();
			String region = (pair.size() > 2) ? pair.get(2).asString() : null;
			upstreams.put(entry.getKey(), new UpstreamSession(sessionId, pair.get(1).asString(), region));
		});
		String caller = json.has("c") ? json.get("c").asString() : null;
		return new ClientSession(json.required("s").asString(), Instant.ofEpochSecond(json.required("t").asLong()),
				json.required("v").asString(), caller, upstreams,
				(json.get("k") instanceof ObjectNode capabilities) ? capabilities : null);
	}

}
