package dev.atrium.mcp.lambda;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MCP tool annotations a client may use to decide whether to ask before a call; each
 * is left out when null, so that the client's default applies.
 *
 * @param readOnly the tool changes nothing
 * @param destructive the tool may delete or overwrite
 * @param idempotent calling it twice with the same arguments does no more than once
 * @param openWorld the tool reaches beyond a closed domain
 */
public record ToolHints(Boolean readOnly, Boolean destructive, Boolean idempotent, Boolean openWorld) {

	/** No hints. */
	public static final ToolHints NONE = new ToolHints(null, null, null, null);

	ObjectNode annotations() {
		ObjectNode annotations = JsonRpcCodec.object();
		put(annotations, "readOnlyHint", this.readOnly);
		put(annotations, "destructiveHint", this.destructive);
		put(annotations, "idempotentHint", this.idempotent);
		put(annotations, "openWorldHint", this.openWorld);
		return annotations;
	}

	private static void put(ObjectNode annotations, String name, Boolean value) {
		if (value != null) {
			annotations.put(name, value);
		}
	}

}
