package dev.atrium.mcp.client.credentials;

/**
 * Atrium could not get the credentials it sends to a target: a secret that cannot be
 * read, a token endpoint that refused or failed.
 */
public class OutboundCredentialsException extends RuntimeException {

	public OutboundCredentialsException(String message) {
		super(message);
	}

	public OutboundCredentialsException(String message, Throwable cause) {
		super(message, cause);
	}

}
