package dev.atrium.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What logs, spans and audit events keep of a session id: the id is a bearer handle, a
 * digest is enough to group the records of one session.
 */
public final class SessionDigest {

	private SessionDigest() {
	}

	/** The first 12 bytes of the id's SHA-256, in hex. */
	public static String of(String sessionId) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
