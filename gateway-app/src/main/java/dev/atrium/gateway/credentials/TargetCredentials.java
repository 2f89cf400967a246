package dev.atrium.gateway.credentials;

import java.util.List;
import java.util.Map;

import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.credentials.OutboundCredentials;

/**
 * The outbound credentials of every target, built once at start, so that a secret that
 * cannot be found stops Atrium from starting rather than failing its first call.
 */
public final class TargetCredentials implements AutoCloseable {

	private final Map<String, OutboundCredentials> byTarget;

	private final List<AutoCloseable> resources;

	TargetCredentials(Map<String, OutboundCredentials> byTarget, List<AutoCloseable> resources) {
		this.byTarget = Map.copyOf(byTarget);
		this.resources = List.copyOf(resources);
	}

	/** The credentials of a target; none for a target that has none configured. */
	public OutboundCredentials forTarget(String target) {
		return this.byTarget.getOrDefault(target, OutboundCredentials.NONE);
	}

	/**
	 * The credentials a target's endpoint in a region signs with; a target's own for
	 * {@code null}.
	 */
	public OutboundCredentials forEndpoint(String target, String region) {
		return forTarget(TargetCall.endpoint(target, region));
	}

	@Override
	public void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

}
