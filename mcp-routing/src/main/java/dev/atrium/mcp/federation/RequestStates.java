package dev.atrium.mcp.federation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.session.SealedBox;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code requestState} Atrium gives a 2026-07-28 client for a call it holds open at
 * an older target: sealed with the session key ring (AES-GCM, the scenario in the
 * associated data), so that a client can neither forge nor read it, and bound to what the
 * 2026-07-28 revision asks a server to check on the retry (multi round-trip requests,
 * "Server Requirements"): the caller, an expiry, and the request (method and name). It
 * also names the held call and the replica that holds it.
 */
final class RequestStates {

	/** Tells Atrium's states from a 2026-07-28 target's own, which pass through. */
	static final String PREFIX = "atrium-held.";

	private static final String PURPOSE = "atrium/request-state/v1:";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SealedBox box;

	private final String scenario;

	private final String replica;

	private final Clock clock;

	RequestStates(SealedBox box, String scenario, String replica, Clock clock) {
		this.box = box;
		this.scenario = scenario;
		this.replica = replica;
		this.clock = clock;
	}

	/** Whether the request is a retry that carries one of Atrium's states. */
	static boolean carriesOne(JsonRpcMessage request) {
		JsonNode state = request.params().get("requestState");
		return state != null && state.isString() && state.asString().startsWith(PREFIX);
	}

	String seal(String held, String caller, JsonRpcMessage request, Instant expires) {
		ObjectNode claims = JSON.createObjectNode();
		claims.put("h", held);
		claims.put("r", this.replica);
		if (caller != null) {
			claims.put("c", caller);
		}
		claims.put("m", request.method());
		claims.put("n", nameOf(request));
		claims.put("e", expires.toEpochMilli());
		return PREFIX + this.box.seal(JSON.writeValueAsBytes(claims), PURPOSE + this.scenario);
	}

	/**
	 * The held call a retry names, or why it is refused. Checked in the order that tells
	 * the client most: a state that does not open is forged; then its expiry, its caller,
	 * its request, its replica.
	 */
	Opened open(JsonRpcMessage retry, String caller) {
		String state = retry.params().path("requestState").asString("");
		Optional<JsonNode> claims = this.box.open(state.substring(PREFIX.length()), PURPOSE + this.scenario)
			.flatMap(RequestStates::read);
		if (claims.isEmpty()) {
			return new Opened.Refused("forged", "requestState was not issued by this server or was altered");
		}
		JsonNode claim = claims.get();
		if (this.clock.instant().toEpochMilli() >= claim.path("e").asLong(0)) {
			return new Opened.Refused("expired", "requestState expired: the call it names was cancelled");
		}
		String issuedTo = claim.has("c") ? claim.get("c").asString() : null;
		if (!Objects.equals(issuedTo, caller)) {
			return new Opened.Refused("foreign", "requestState was issued to another caller");
		}
		if (!claim.path("m").asString("").equals(retry.method())
				|| !claim.path("n").asString("").equals(nameOf(retry))) {
			return new Opened.Refused("other-request", "requestState belongs to another request");
		}
		if (!this.replica.equals(claim.path("r").asString(""))) {
			return new Opened.Refused("other-replica",
					"requestState names a call held by another replica; retry on the replica that answered");
		}
		return new Opened.Held(claim.path("h").asString(""));
	}

	private static Optional<JsonNode> read(byte[] plaintext) {
		try {
			JsonNode claims = JSON.readTree(new String(plaintext, StandardCharsets.UTF_8));
			return claims.isObject() ? Optional.of(claims) : Optional.empty();
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
	}

	/** What a retry names within its method: the tool or prompt, or the resource. */
	static String nameOf(JsonRpcMessage request) {
		String member = McpMethods.RESOURCES_READ.equals(request.method()) ? "uri" : "name";
		return request.params().path(member).asString("");
	}

	/** What a presented state opens to. */
	sealed interface Opened {

		/** The id of the held call it names. */
		record Held(String id) implements Opened {
		}

		/**
		 * A refusal.
		 *
		 * @param reason one word for {@code error.data.reason}
		 * @param message a sentence for the client
		 */
		record Refused(String reason, String message) implements Opened {
		}

	}

}
