package dev.atrium.mcp.protocol;

/**
 * Header names of the MCP streamable HTTP transport.
 */
public final class McpHeaders {

	public static final String SESSION_ID = "Mcp-Session-Id";

	public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";

	public static final String LAST_EVENT_ID = "Last-Event-ID";

	private McpHeaders() {
	}

}
