package dev.atrium.mcp.client;

/**
 * Atrium's session with one target.
 *
 * @param sessionId the {@code Mcp-Session-Id} the target assigned, or {@code null} for a
 * stateless target
 * @param protocolVersion the revision negotiated with the target
 */
public record UpstreamSession(String sessionId, String protocolVersion) {

	public boolean stateless() {
		return this.sessionId == null;
	}

}
