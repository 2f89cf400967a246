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
	 *
	 * @param target the target that answers
	 * @param streamed whether the target streamed its answer
	 * @param messages the messages, to be subscribed to once
	 */
	record Relay(String target, boolean streamed, Flux<JsonRpcMessage> messages) implements McpReply {
	}

	/** A notification or a response was taken (202, no body). */
	record Accepted() implements McpReply {
	}

}
