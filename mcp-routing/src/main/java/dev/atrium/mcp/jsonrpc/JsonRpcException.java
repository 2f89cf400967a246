package dev.atrium.mcp.jsonrpc;

/**
 * Carries a {@link JsonRpcError} through a reactive pipeline until the edge turns it into
 * a JSON-RPC error response.
 */
public class JsonRpcException extends RuntimeException {

	private final transient JsonRpcError error;

	public JsonRpcException(JsonRpcError error) {
		super(error.message(), null, false, false);
		this.error = error;
	}

	public JsonRpcException(int code, String message) {
		this(new JsonRpcError(code, message));
	}

	public JsonRpcError error() {
		return this.error;
	}

}
