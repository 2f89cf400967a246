package dev.atrium.mcp.protocol;

/**
 * Header names of the MCP streamable HTTP transport.
 */
public final class McpHeaders {

	public static final String SESSION_ID = "Mcp-Session-Id";

	public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";

	public static final String LAST_EVENT_ID = "Last-Event-ID";

	/** The request's method (2026-07-28, "Standard Request Headers"). */
	public static final String METHOD = "Mcp-Method";

	/**
	 * The tool or prompt name, or the resource URI, of the request (2026-07-28, "Standard
	 * Request Headers").
	 */
	public static final String NAME = "Mcp-Name";

	private McpHeaders() {
	}

}
