package dev.atrium.mcp.client;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.publisher.Flux;

/**
 * A target's answer to one message, as soon as it begins.
 *
 * @param streamed whether the target answered with an SSE stream rather than one JSON
 * message
 * @param messages the messages of the answer, in order; subscribe once
 */
public record UpstreamReply(boolean streamed, Flux<JsonRpcMessage> messages) {

}
