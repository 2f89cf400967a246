package dev.atrium.mcp.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals bytes with AES-256-GCM under the active key of a {@link SessionKeyRing} and opens
 * them on any replica that holds the ring: what Atrium hands a client to give back
 * (session ids, multi round-trip request states) and must find unforged.
 * <p>
 * Layout before base64url: version byte, key id length, key id, 12-byte nonce, ciphertext
 * with tag. The associated data names what the value is for, so that a value sealed for
 * one purpose (or scenario) does not open for another.
 */
public final class SealedBox {

	private static final byte VERSION = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SessionKeyRing keys;

	private final SecureRandom random = new SecureRandom();

	public SealedBox(SessionKeyRing keys) {
		this.keys = keys;
	}

	/** The plaintext sealed, bound to the associated data, as base64url. */
	public String seal(byte[] plaintext, String associatedData) {
		byte[] keyId = this.keys.activeId().getBytes(StandardCharsets.US_ASCII);
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, this.keys.active(), nonce, associatedData, plaintext);
		ByteBuffer buffer = ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + ciphertext.length);
		buffer.put(VERSION).put((byte) keyId.length).put(keyId).put(nonce).put(ciphertext);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
	}

	/**
	 * The plaintext of a sealed value; empty when it is malformed, sealed by an unknown
	 * key, tampered with or sealed with other associated data.
	 */
	public Optional<byte[]> open(String sealed, String associatedData) {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(Base64.getUrlDecoder().decode(sealed));
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
			return Optional.of(crypt(Cipher.DECRYPT_MODE, key, nonce, associatedData, ciphertext));
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String associatedData, byte[] input) {
		try {
			// Cipher instances are not thread-safe and cheap next to the network hop.
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(input);
		}
		catch (GeneralSecurityException ex) {
			throw new SealException(ex);
		}
	}

	/** Decryption failed: tampered, truncated or sealed for something else. */
	private static final class SealException extends RuntimeException {

		SealException(Throwable cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

}
