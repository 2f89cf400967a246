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
 */
public record TargetCall(String target, String method, boolean idempotent) {

	public TargetCall {
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(method, "method");
	}

}
