package dev.atrium.mcp.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import dev.atrium.mcp.client.UpstreamSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seals a {@link ClientSession} into an opaque {@code Mcp-Session-Id} with AES-256-GCM,
 * and opens it again on any replica that holds the key ring.
 * <p>
 * Layout before base64url: version byte, key id length, key id, 12-byte nonce, ciphertext
 * with tag. The scenario is the associated data, so a session id opened on one scenario
 * is refused on another.
 */
public final class SessionCodec {

	private static final byte VERSION = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SessionKeyRing keys;

	private final Duration lifetime;

	private final Clock clock;

	private final ObjectMapper mapper;

	private final SecureRandom random = new SecureRandom();

	public SessionCodec(SessionKeyRing keys, Duration lifetime, Clock clock, ObjectMapper mapper) {
		this.keys = keys;
		this.lifetime = lifetime;
		this.clock = clock;
		this.mapper = mapper;
	}

	public String seal(ClientSession session) {
		byte[] plaintext = this.mapper.writeValueAsBytes(toJson(session));
		byte[] keyId = this.keys.activeId().getBytes(StandardCharsets.US_ASCII);
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, this.keys.active(), nonce, session.scenario(), plaintext);
		ByteBuffer buffer = ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + ciphertext.length);
		buffer.put(VERSION).put((byte) keyId.length).put(keyId).put(nonce).put(ciphertext);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
	}

	/**
	 * Opens a session id presented on a scenario.
	 * @return the session, or empty when the id is malformed, sealed by an unknown key,
	 * tampered with, from another scenario or older than the lifetime
	 */
	public Optional<ClientSession> open(String sessionId, String scenario) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(Base64.getUrlDecoder().decode(sessionId));
			if (buffer.remaining() < 2 || buffer.get() != VERSION) {
				return Optional.empty();
			}
			byte[] keyId = new byte[buffer.get()];
			buffer.get(keyId);
			SecretKey key = this.keys.find(new String(keyId, StandardCharsets.US_ASCII));
			if (key == null || buffer.remaining() <= NONCE_BYTES) {
				return Optional.empty();
			}
			byte[] nonce = new byte[NONCE_BYTES];
			buffer.get(nonce);
			byte[] ciphertext = new byte[buffer.remaining()];
			buffer.get(ciphertext);
			ClientSession session = fromJson(
					this.mapper.readTree(crypt(Cipher.DECRYPT_MODE, key, nonce, scenario, ciphertext)));
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

	private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String scenario, byte[] input) {
		try {
			// Cipher instances are not thread-safe and cheap next to the network hop.
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(scenario.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new SealException(ex);
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
				json.required("v").asString(), caller, upstreams);
	}

	/** Decryption failed: tampered, truncated or sealed for another scenario. */
	private static final class SealException extends RuntimeException {

		SealException(Throwable cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

}
