package dev.atrium.mcp.federation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The ids Atrium gives the requests targets send to a client (sampling, elicitation,
 * roots), so that requests of different targets never share an id in one client session
 * and the client's response finds the target, the region and the id it answers. The id
 * carries them itself, so any replica can route the response: {@code srv.} and the
 * base64url of {@code [target, region, original id]}.
 */
public final class ServerRequestIds {

	private static final String PREFIX = "srv.";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ServerRequestIds() {
	}

	/** The id the client sees for a target's request. */
	public static String encode(String target, String region, JsonNode id) {
		return encode(PREFIX, target, region, id);
	}

	/**
	 * Where a response to a target's request goes; empty for an id Atrium did not give.
	 */
	public static Optional<Origin> decode(JsonNode id) {
		return decode(PREFIX, id);
	}

	/** An id that names its target and region, after a prefix that says what it is. */
	static String encode(String prefix, String target, String region, JsonNode id) {
		ArrayNode origin = JSON.createArrayNode();
		origin.add(target);
		origin.add(region);
		origin.add(id);
		return prefix + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(JSON.writeValueAsString(origin).getBytes(StandardCharsets.UTF_8));
	}

	/** The origin of an id made by {@link #encode(String, String, String, JsonNode)}. */
	static Optional<Origin> decode(String prefix, JsonNode id) {
		if (id == null || !id.isString() || !id.asString().startsWith(prefix)) {
			return Optional.empty();
		}
		try {
			byte[] json = Base64.getUrlDecoder().decode(id.asString().substring(prefix.length()));
			JsonNode origin = JSON.readTree(json);
			if (!origin.isArray() || origin.size() != 3 || !origin.get(0).isString()
					|| !(origin.get(1).isString() || origin.get(1).isNull())
					|| !(origin.get(2).isString() || origin.get(2).isIntegralNumber())) {
				return Optional.empty();
			}
			String region = origin.get(1).isNull() ? null : origin.get(1).asString();
			return Optional.of(new Origin(origin.get(0).asString(), region, origin.get(2)));
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Who sent a request to the client.
	 *
	 * @param target the target
	 * @param region its region, or {@code null} for a target served from one place
	 * @param id the id the target gave the request
	 */
	public record Origin(String target, String region, JsonNode id) {
	}

}
