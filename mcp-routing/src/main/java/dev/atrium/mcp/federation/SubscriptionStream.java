package dev.atrium.mcp.federation;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.RequestMeta;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The stream a 2026-07-28 client's {@code subscriptions/listen} is answered with (basic
 * patterns, "Subscriptions"): the acknowledgment first, then only the notifications it
 * opted in to, each carrying the subscription's id (the request's id) in {@code _meta}.
 * The stream stays open until the client closes it.
 */
final class SubscriptionStream {

	private SubscriptionStream() {
	}

	/**
	 * @param id the id of the {@code subscriptions/listen} request
	 * @param honoured what the virtual server agreed to send
	 * @param notifications what the targets send, as the client is to see it
	 */
	static Flux<JsonRpcMessage> of(JsonNode id, SubscriptionFilter honoured, Flux<JsonRpcMessage> notifications) {
		ObjectNode params = JsonRpcCodec.object();
		params.set("notifications", honoured.toJson());
		JsonRpcMessage acknowledged = tagged(JsonRpcCodec.notification(McpMethods.SUBSCRIPTIONS_ACKNOWLEDGED, params),
				id);
		Flux<JsonRpcMessage> opted = notifications
			.filter((message) -> message.kind() == JsonRpcMessage.Kind.NOTIFICATION && honoured.admits(message))
			.map((message) -> tagged(message, id));
		// Nothing but the client ends the stream, also when no target has one.
		return Flux.concat(Flux.just(acknowledged), Flux.merge(opted, Flux.never()));
	}

	private static JsonRpcMessage tagged(JsonRpcMessage notification, JsonNode id) {
		ObjectNode params = notification.params().deepCopy();
		ObjectNode meta = (params.get("_meta") instanceof ObjectNode existing) ? existing : params.putObject("_meta");
		meta.set(RequestMeta.SUBSCRIPTION_ID, id);
		return notification.withParams(params);
	}

}
