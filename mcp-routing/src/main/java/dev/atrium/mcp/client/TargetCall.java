package dev.atrium.mcp.client;

import java.util.Objects;

/**
 * One call Atrium is about to make to a target, as the policies that guard it see it.
 *
 * @param target the target's name
 * @param method the JSON-RPC method, e.g. {@code tools/call}
 * @param idempotent whether making the call twice has the effect of making it once
 * (reads, gets, and tools annotated as idempotent or read-only), so that it may be
 * repeated after a failure
 * @param region the region of the target's endpoint it goes to, or {@code null} for a
 * target served from one place
 */
public record TargetCall(String target, String method, boolean idempotent, String region) {

	/** A call to a target served from one place. */
	public TargetCall(String target, String method, boolean idempotent) {
		this(target, method, idempotent, null);
	}

	public TargetCall {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(method, "method");
	}

	/**
	 * The endpoint the call goes to, as its own breaker and bulkhead know it:
	 * {@code target}, or {@code target@region}.
	 */
	public String endpoint() {
		return endpoint(this.target, this.region);
	}

	/** {@code target}, or {@code target@region} for one of its regions. */
	public static String endpoint(String target, String region) {
		return (region != null) ? target + "@" + region : target;
	}

}
