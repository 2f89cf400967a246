package dev.atrium.mcp.client;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a target answered to {@code initialize}.
 *
 * @param session the session now open with the target
 * @param result the {@code result} member of the target's answer (capabilities,
 * serverInfo, instructions)
 */
public record UpstreamInitialization(UpstreamSession session, ObjectNode result) {

	public ObjectNode capabilities() {
		return (this.result.get("capabilities") instanceof ObjectNode caps) ? caps : this.result.objectNode();
	}

}
