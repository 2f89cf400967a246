package dev.atrium.mcp.client;

/**
 * A target answered 404 to a request that carried its session id: the target ended the
 * session (streamable HTTP transport, "Session Management"), so the client's session with
 * Atrium has to be initialised again.
 */
public class UpstreamSessionExpiredException extends RuntimeException {

	private final String target;

	public UpstreamSessionExpiredException(String target) {
		super("Target '" + target + "' no longer knows the session", null, false, false);
		this.target = target;
	}

	public String target() {
		return this.target;
	}

}
