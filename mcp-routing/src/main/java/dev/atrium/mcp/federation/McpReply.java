package dev.atrium.mcp.federation;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.publisher.Flux;

/**
 * How the virtual server answers one client message; the transport renders it.
 */
public sealed interface McpReply {

	/** Atrium answers itself, with one message. */
	record Answer(JsonRpcMessage message) implements McpReply {
	}

	/**
	 * A target answers; its messages are relayed in order, streamed if the target
	 * streamed them.
	 */
	record Relay(boolean streamed, Flux<JsonRpcMessage> messages) implements McpReply {
	}

	/** A notification or a response was taken (202, no body). */
	record Accepted() implements McpReply {
	}

}
