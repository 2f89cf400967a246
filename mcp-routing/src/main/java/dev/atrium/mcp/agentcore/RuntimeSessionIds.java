package dev.atrium.mcp.agentcore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AgentCore runtime session id of a caller at a target
 * ({@code X-Amzn-Bedrock-AgentCore-Runtime-Session-Id}): the same for every request of
 * one user to one runtime, on every replica, so that the user keeps their microVM; and
 * not guessable from the user's name, so that nobody lands in another user's microVM. An
 * HMAC of the caller and the target under a key of Atrium's, 64 hex digits (AgentCore
 * asks for at least 33 characters).
 */
public final class RuntimeSessionIds {

	/** The header AgentCore Runtime reads the session id from. */
	public static final String HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";

	private final SecretKeySpec key;

	/**
	 * @param key at least 32 bytes, the same on every replica
	 */
	public RuntimeSessionIds(byte[] key) {
		if (key.length < 32) {
			throw new IllegalArgumentException("the runtime session key needs at least 32 bytes");
		}
		this.key = new SecretKeySpec(key, "HmacSHA256");
	}

	/**
	 * @param caller the caller's stable id (issuer and subject)
	 * @param target the target's name
	 */
	public String of(String caller, String target) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			mac.update(target.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 0);
			return HexFormat.of().formatHex(mac.doFinal(caller.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "RuntimeSessionIds[HmacSHA256]";
	}

}
