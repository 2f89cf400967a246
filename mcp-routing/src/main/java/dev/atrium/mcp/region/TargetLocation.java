package dev.atrium.mcp.region;

import java.util.Objects;

import dev.atrium.mcp.client.StreamableHttpClient;

/**
 * One endpoint a target is served from.
 *
 * @param region the endpoint's region, e.g. {@code eu-west-1}; {@code null} for a target
 * served from one place
 * @param priority lower is preferred
 * @param client the client of this endpoint
 */
public record TargetLocation(String region, int priority, StreamableHttpClient client) {

	public TargetLocation {
		Objects.requireNonNull(client, "client");
	}

	/** The target's name. */
	public String target() {
		return this.client.endpoint().name();
	}

	/** Where a log line or an error says the call went: the target, and its region. */
	public String describe() {
		return (this.region != null) ? target() + "' in region '" + this.region : target();
	}

}
