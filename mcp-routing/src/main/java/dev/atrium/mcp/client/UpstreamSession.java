package dev.atrium.mcp.client;

import dev.atrium.mcp.protocol.ProtocolVersion;

/**
 * Atrium's session with one target.
 *
 * @param sessionId the {@code Mcp-Session-Id} the target assigned, or {@code null} for a
 * stateless target
 * @param protocolVersion the revision negotiated with the target
 * @param region the region of the target's endpoint the session is held with, or
 * {@code null} for a target served from one place
 */
public record UpstreamSession(String sessionId, String protocolVersion, String region) {

	/** A session with a target served from one place. */
	public UpstreamSession(String sessionId, String protocolVersion) {
		this(sessionId, protocolVersion, null);
	}

	public boolean stateless() {
		return this.sessionId == null;
	}

	/** Whether the target speaks a sessionless revision (2026-07-28). */
	public boolean modern() {
		return ProtocolVersion.isModern(this.protocolVersion);
	}

	/** The same session, held with the target's endpoint in a region. */
	public UpstreamSession in(String region) {
		return new UpstreamSession(this.sessionId, this.protocolVersion, region);
	}

}
