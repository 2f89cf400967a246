package dev.atrium.mcp.federation;

import dev.atrium.mcp.session.ClientSession;

/**
 * A client session as a request presents it.
 *
 * @param id the session id as the client sent it
 * @param session what the id carries
 */
public record SessionHandle(String id, ClientSession session) {

}
