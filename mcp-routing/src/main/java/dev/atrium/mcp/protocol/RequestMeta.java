package dev.atrium.mcp.protocol;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import tools.jackson.databind.JsonNode;

/**
 * The {@code _meta} keys by which a 2026-07-28 request says what it is on every request,
 * since there is no session to remember it (basic protocol, "Per-request protocol
 * fields").
 */
public final class RequestMeta {

	public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";

	public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";

	public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

	public static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";

	/** On results: who answered. */
	public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";

	/**
	 * On every message of a {@code subscriptions/listen} stream: the id of the request
	 * that opened it.
	 */
	public static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

	private RequestMeta() {
	}

	/** The {@code _meta} of the request's params, or a missing node. */
	public static JsonNode of(JsonRpcMessage message) {
		return message.params().path("_meta");
	}

	/** Whether the message says its revision in {@code _meta}, as 2026-07-28 ones do. */
	public static boolean carriesProtocolVersion(JsonRpcMessage message) {
		return of(message).has(PROTOCOL_VERSION);
	}

	/** The revision the message says it speaks, or {@code null}. */
	public static String protocolVersion(JsonRpcMessage message) {
		JsonNode version = of(message).get(PROTOCOL_VERSION);
		return (version != null && version.isString()) ? version.asString() : null;
	}

}
