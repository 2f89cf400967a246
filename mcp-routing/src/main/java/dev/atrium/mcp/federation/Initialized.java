package dev.atrium.mcp.federation;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.session.ClientSession;

/**
 * The answer to {@code initialize} and the session it opened.
 *
 * @param response the response for the client
 * @param session the new session, to be sealed into the {@code Mcp-Session-Id}
 */
public record Initialized(JsonRpcMessage response, ClientSession session) {

}
