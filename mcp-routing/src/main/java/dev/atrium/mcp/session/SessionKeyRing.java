package dev.atrium.mcp.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that seal session ids (and, {@link #derivedFor derived} from them, the holder
 * of a stream in its event ids). The first key seals new sessions; every key opens, so
 * keys rotate by adding a new first key and keeping the old one until its sessions end.
 * AES keys are derived once, here, with HKDF-SHA256 (RFC 5869), never per request.
 */
public final class SessionKeyRing {

	private static final byte[] SALT = "atrium/mcp-session-id/v1".getBytes(StandardCharsets.UTF_8);

	private final String activeId;

	private final Map<String, SecretKey> keys;

	private SessionKeyRing(String activeId, Map<String, SecretKey> keys) {
		this.activeId = activeId;
		this.keys = keys;
	}

	/**
	 * Derives the ring from secrets, the active one first.
	 * @param secrets key id to secret; ids are at most 16 ASCII letters, digits, '-' or
	 * '_'; secrets have at least 32 bytes
	 */
	public static SessionKeyRing derive(List<Secret> secrets) {
		if (secrets.isEmpty()) {
			throw new IllegalArgumentException("at least one session key is needed");
		}
		Map<String, SecretKey> keys = new LinkedHashMap<>();
		for (Secret secret : secrets) {
			if (keys.put(secret.id(), new SecretKeySpec(hkdf(secret.value(), secret.id()), "AES")) != null) {
				throw new IllegalArgumentException("session key id '" + secret.id() + "' is used twice");
			}
		}
		return new SessionKeyRing(secrets.get(0).id(), keys);
	}

	/** The id of the key that seals new values. */
	public String activeId() {
		return this.activeId;
	}

	/** The key that seals new values. */
	public SecretKey active() {
		return this.keys.get(this.activeId);
	}

	/** Every key, the active one first. */
	public Collection<SecretKey> all() {
		return Collections.unmodifiableCollection(this.keys.values());
	}

	/** The key of the given id, or {@code null} when the ring has none of that id. */
	public SecretKey find(String id) {
		return this.keys.get(id);
	}

	/**
	 * A ring of the same key ids whose keys are derived from these for another purpose
	 * (HKDF-Expand, RFC 5869 section 2.3, with this ring's keys as pseudorandom keys), so
	 * that what one purpose seals is never opened as the other's.
	 * @param purpose what the keys seal, e.g. {@code stream-holder}
	 */
	public SessionKeyRing derivedFor(String purpose) {
		Map<String, SecretKey> derived = new LinkedHashMap<>();
		this.keys.forEach((id, key) -> derived.put(id,
				new SecretKeySpec(expand(key.getEncoded(), purpose + ":aes-256-gcm:" + id), "AES")));
		return new SessionKeyRing(this.activeId, derived);
	}

	private static byte[] hkdf(byte[] secret, String id) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
			return expand(mac.doFinal(secret), "aes-256-gcm:" + id);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static byte[] expand(byte[] prk, String info) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(prk, "HmacSHA256"));
			// One block of HKDF-Expand gives the 32 bytes of an AES-256 key.
			mac.update(info.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 1);
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * One secret of the ring.
	 *
	 * @param id short identifier written into every session id it seals
	 * @param value the secret bytes, at least 32
	 */
	public record Secret(String id, byte[] value) {

		public Secret {
			Objects.requireNonNull(id, "id");
			Objects.requireNonNull(value, "value");
			if (!id.matches("[A-Za-z0-9_-]{1,16}")) {
				throw new IllegalArgumentException(
						"session key id must be 1 to 16 letters, digits, '-' or '_', was '" + id + "'");
			}
			if (value.length < 32) {
				throw new IllegalArgumentException(
						"session key '" + id + "' must have at least 32 bytes, had " + value.length);
			}
		}

	}

}
