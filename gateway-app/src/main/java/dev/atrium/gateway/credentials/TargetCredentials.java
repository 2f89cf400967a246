package dev.atrium.gateway.credentials;

import java.util.List;
import java.util.Map;

import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.credentials.OutboundCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The outbound credentials of every target, built once at start, so that a secret that
 * cannot be found stops Atrium from starting rather than failing its first call.
 */
public final class TargetCredentials implements AutoCloseable {

	private final Map<String, OutboundCredentials> byTarget;

	private final Map<String, AwsCredentialsProvider> awsByTarget;

	private final List<AutoCloseable> resources;

	TargetCredentials(Map<String, OutboundCredentials> byTarget, Map<String, AwsCredentialsProvider> awsByTarget,
			List<AutoCloseable> resources) {
		this.byTarget = Map.copyOf(byTarget);
		this.awsByTarget = Map.copyOf(awsByTarget);
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

	/**
	 * The AWS credentials an SDK client of a Lambda target signs with; null for other
	 * targets.
	 */
	public AwsCredentialsProvider awsCredentials(String target) {
		return this.awsByTarget.get(target);
	}

	@Override
	public void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

}
