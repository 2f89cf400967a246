package dev.atrium.mcp.jsonrpc;

/**
 * A JSON-RPC error as a value: what a client receives when Atrium or a target refuses a
 * request.
 *
 * @param code the JSON-RPC error code
 * @param message a short sentence a person can act on
 */
public record JsonRpcError(int code, String message) {

	/** Invalid JSON was received (JSON-RPC 2.0, section 5.1). */
	public static final int PARSE_ERROR = -32700;

	/** The JSON sent is not a valid request object. */
	public static final int INVALID_REQUEST = -32600;

	/** The method does not exist or is not available. */
	public static final int METHOD_NOT_FOUND = -32601;

	/** Invalid method parameters; MCP also uses it for unknown tools and prompts. */
	public static final int INVALID_PARAMS = -32602;

	/** Internal JSON-RPC error. */
	public static final int INTERNAL_ERROR = -32603;

	/** MCP's code for a resource that does not exist. */
	public static final int RESOURCE_NOT_FOUND = -32002;

	/**
	 * The HTTP headers of a 2026-07-28 request are missing or do not match its body
	 * (2026-07-28, "Server Validation").
	 */
	public static final int HEADER_MISMATCH = -32020;

	/**
	 * The request asks for a revision the server does not speak (2026-07-28, "Protocol
	 * Version Negotiation").
	 */
	public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

	/** Atrium's code: the target that owns the request cannot be reached or failed. */
	public static final int TARGET_UNAVAILABLE = -32010;

	/** Atrium's code: the target did not answer in time. */
	public static final int TARGET_TIMEOUT = -32011;

	public static JsonRpcError invalidRequest(String message) {
		return new JsonRpcError(INVALID_REQUEST, message);
	}

	public static JsonRpcError invalidParams(String message) {
		return new JsonRpcError(INVALID_PARAMS, message);
	}

	public static JsonRpcError methodNotFound(String method) {
		return new JsonRpcError(METHOD_NOT_FOUND, "Method not found: " + method);
	}

}
