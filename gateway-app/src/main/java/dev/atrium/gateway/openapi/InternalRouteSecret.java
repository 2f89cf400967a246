package dev.atrium.gateway.openapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A random secret, new with each start, that Atrium sends to the MCP servers it serves
 * itself: callers who do not have it cannot reach those servers directly, past the
 * scenarios' authentication, permissions and limits.
 */
public final class InternalRouteSecret {

	/** The header that carries the secret. */
	public static final String HEADER = "X-Atrium-Internal";

	private final String value;

	public InternalRouteSecret(SecureRandom random) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		this.value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	public String value() {
		return this.value;
	}

	/** Whether a header value is the secret, in constant time. */
	public boolean matches(String candidate) {
		return candidate != null && MessageDigest.isEqual(this.value.getBytes(StandardCharsets.US_ASCII),
				candidate.getBytes(StandardCharsets.US_ASCII));
	}

	@Override
	public String toString() {
		return "InternalRouteSecret[" + HEADER + "]";
	}

}
