package dev.atrium.mcp.stream;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import dev.atrium.mcp.session.SessionKeyRing;

/**
 * Makes the stream part of event ids, and tells from one which replica holds the stream.
 * <p>
 * Without a replica address a stream id is 128 random bits (22 base64url characters).
 * With one, it is those bits followed by the replica's address sealed with AES-256-GCM:
 * the random bits' first 12 bytes are the nonce and all 16 the associated data, so the
 * sealed address belongs to this stream alone. Clients can neither read the address nor
 * make one Atrium would connect to: an id that does not open with the key ring names no
 * replica, and is refused without any connection (no server-side request forgery). Every
 * key of the ring is tried, so ids carry no key id and stay short.
 */
public final class StreamIds {

	/** What the keys of the ring are derived for, apart from session ids. */
	public static final String PURPOSE = "stream-holder";

	private static final byte[] CONTEXT = "atrium/stream-holder/v1".getBytes(StandardCharsets.US_ASCII);

	private static final int RANDOM_BYTES = 16;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	/** The longest address a stream id carries, so that event ids stay bounded. */
	public static final int MAX_ADDRESS_LENGTH = 200;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final URI self;

	private final SessionKeyRing keys;

	private StreamIds(URI self, SessionKeyRing keys) {
		this.self = self;
		this.keys = keys;
	}

	/** Stream ids that name no replica: streams are resumed where they were opened. */
	public static StreamIds unsealed() {
		return new StreamIds(null, null);
	}

	/**
	 * Stream ids that carry this replica's address, sealed.
	 * @param self this replica's address as the other replicas reach it, scheme, host and
	 * port only (e.g. {@code http://10.0.3.17:8080})
	 * @param keys the ring every replica shares; keys for this purpose are derived from
	 * it
	 */
	public static StreamIds sealing(URI self, SessionKeyRing keys) {
		Objects.requireNonNull(keys, "keys");
		return new StreamIds(replicaAddress(Objects.requireNonNull(self, "self")), keys.derivedFor(PURPOSE));
	}

	/**
	 * A replica address as stream ids carry it: scheme, host and port.
	 * @throws IllegalArgumentException for anything but an http(s) URL with a host, for a
	 * path, query or user info, and past {@link #MAX_ADDRESS_LENGTH} characters
	 */
	public static URI replicaAddress(URI uri) {
		if (uri.getScheme() == null || uri.getHost() == null
				|| !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
			throw new IllegalArgumentException("replica address must be an http(s) URL with a host, was " + uri);
		}
		if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())
				|| uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
			throw new IllegalArgumentException(
					"replica address must be scheme, host and port only, without path or query, was " + uri);
		}
		URI address = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
		if (address.toString().length() > MAX_ADDRESS_LENGTH) {
			throw new IllegalArgumentException("replica address must be at most " + MAX_ADDRESS_LENGTH
					+ " characters, was " + address.toString().length());
		}
		return address;
	}

	/** Whether stream ids carry this replica's address. */
	public boolean sealing() {
		return this.self != null;
	}

	/** A stream id nobody has had, naming this replica when it has an address. */
	public String newStream() {
		if (this.self == null) {
			return EventId.newStream();
		}
		byte[] random = new byte[RANDOM_BYTES];
		RANDOM.nextBytes(random);
		byte[] sealed = crypt(Cipher.ENCRYPT_MODE, this.keys.active(), random,
				this.self.toString().getBytes(StandardCharsets.UTF_8));
		ByteBuffer id = ByteBuffer.allocate(RANDOM_BYTES + sealed.length).put(random).put(sealed);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(id.array());
	}

	/** Which replica holds a stream, as far as its id tells. */
	public Holder holder(String stream) {
		if (stream.length() == EventId.UNSEALED_LENGTH) {
			return new Holder.Unnamed();
		}
		if (this.keys == null) {
			// A replica without an address hands nothing off: a stream opened elsewhere
			// is one it does not keep, as before replicas had addresses.
			return new Holder.Unnamed();
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(stream);
		}
		catch (IllegalArgumentException ex) {
			return new Holder.Unknown();
		}
		if (bytes.length <= RANDOM_BYTES + TAG_BITS / 8) {
			return new Holder.Unknown();
		}
		byte[] random = Arrays.copyOf(bytes, RANDOM_BYTES);
		byte[] sealed = Arrays.copyOfRange(bytes, RANDOM_BYTES, bytes.length);
		for (SecretKey key : this.keys.all()) {
			try {
				URI address = URI
					.create(new String(crypt(Cipher.DECRYPT_MODE, key, random, sealed), StandardCharsets.UTF_8));
				return address.equals(this.self) ? new Holder.This() : new Holder.Replica(address);
			}
			catch (SealException | IllegalArgumentException ex) {
				// Another key of the ring may have sealed it.
			}
		}
		return new Holder.Unknown();
	}

	private static byte[] crypt(int mode, SecretKey key, byte[] random, byte[] input) {
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, random, 0, NONCE_BYTES));
			cipher.updateAAD(CONTEXT);
			cipher.updateAAD(random);
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new SealException(ex);
		}
	}

	/** Which replica holds a stream. */
	public sealed interface Holder {

		/**
		 * No address in the id, or none this replica reads: the stream is resumed only
		 * where it was opened.
		 */
		record Unnamed() implements Holder {
		}

		/** This replica. */
		record This() implements Holder {
		}

		/** Another replica, at an address sealed by this deployment. */
		record Replica(URI address) implements Holder {
		}

		/**
		 * An id no replica of this deployment made: tampered, forged or of an old key.
		 */
		record Unknown() implements Holder {
		}

	}

	/** Sealing or opening failed: tampered, truncated or sealed by another key. */
	private static final class SealException extends RuntimeException {

		SealException(Throwable cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

}
