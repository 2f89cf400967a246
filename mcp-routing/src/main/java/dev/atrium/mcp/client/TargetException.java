package dev.atrium.mcp.client;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;

/**
 * A target could not be reached, failed, or answered something that is not MCP. The
 * message names the target so that a client knows which one.
 */
public class TargetException extends JsonRpcException {

	private final String target;

	public TargetException(String target, int code, String reason) {
		super(code, "Target '" + target + "' " + reason);
		this.target = target;
	}

	public static TargetException unavailable(String target, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_UNAVAILABLE, reason);
	}

	public static TargetException timeout(String target, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_TIMEOUT, reason);
	}

	public String target() {
		return this.target;
	}

}
