package dev.atrium.mcp.federation;

import java.util.Set;
import java.util.function.Consumer;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.RequestMeta;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a 2026-07-28 client is answered with, whichever revision the target that answers
 * speaks: every result says it is complete, cacheable ones carry caching hints, and only
 * the notifications that belong to its request reach it.
 */
final class SessionlessReplies {

	/** The methods a sessionless client is answered; the rest are not found. */
	static final Set<String> METHODS = Set.of(McpMethods.SERVER_DISCOVER, McpMethods.TOOLS_LIST, McpMethods.TOOLS_CALL,
			McpMethods.PROMPTS_LIST, McpMethods.PROMPTS_GET, McpMethods.RESOURCES_LIST,
			McpMethods.RESOURCES_TEMPLATES_LIST, McpMethods.RESOURCES_READ, McpMethods.COMPLETION_COMPLETE,
			McpMethods.SUBSCRIPTIONS_LISTEN);

	/**
	 * Results that must carry {@code ttlMs} and {@code cacheScope} (2026-07-28, caching).
	 */
	private static final Set<String> CACHEABLE = Set.of(McpMethods.SERVER_DISCOVER, McpMethods.TOOLS_LIST,
			McpMethods.PROMPTS_LIST, McpMethods.RESOURCES_LIST, McpMethods.RESOURCES_TEMPLATES_LIST,
			McpMethods.RESOURCES_READ);

	private SessionlessReplies() {
	}

	/**
	 * The reply with its response completed for a 2026-07-28 client.
	 * @param serverInfo who answers, put in the {@code _meta} of the results Atrium
	 * answers itself
	 */
	static McpReply completed(McpReply reply, JsonRpcMessage request, ObjectNode serverInfo) {
		return switch (reply) {
			case McpReply.Answer answer ->
				new McpReply.Answer(completed(answer.message(), request.method(), serverInfo));
			case McpReply.Relay relay -> new McpReply.Relay(relay.target(), relay.streamed(),
					relay.messages()
						.map((message) -> (message.kind() == JsonRpcMessage.Kind.RESPONSE)
								? completed(message, request.method(), null) : message));
			case McpReply.Accepted accepted -> accepted;
		};
	}

	/**
	 * A response as a 2026-07-28 client expects it: {@code resultType} is required on
	 * every result; caching hints on cacheable ones, where Atrium promises no freshness
	 * ({@code ttlMs} 0) and no sharing ({@code cacheScope} private: what a caller sees
	 * depends on its permissions); and the resource-not-found code of earlier revisions,
	 * which 2026-07-28 forbids, becomes invalid params.
	 */
	static JsonRpcMessage completed(JsonRpcMessage response, String method, ObjectNode serverInfo) {
		ObjectNode node = response.node().deepCopy();
		if (node.get("result") instanceof ObjectNode result) {
			if (!result.has("resultType")) {
				result.put("resultType", "complete");
			}
			if (CACHEABLE.contains(method) && "complete".equals(result.path("resultType").asString(""))) {
				if (!result.has("ttlMs")) {
					result.put("ttlMs", 0);
				}
				if (!result.has("cacheScope")) {
					result.put("cacheScope", "private");
				}
			}
			if (serverInfo != null) {
				ObjectNode meta = (result.get("_meta") instanceof ObjectNode existing) ? existing
						: result.putObject("_meta");
				meta.set(RequestMeta.SERVER_INFO, serverInfo);
			}
		}
		else if (node.get("error") instanceof ObjectNode error
				&& error.path("code").asInt(0) == JsonRpcError.RESOURCE_NOT_FOUND) {
			error.put("code", JsonRpcError.INVALID_PARAMS);
		}
		return new JsonRpcMessage(node);
	}

	/**
	 * The messages of a target's answer that a 2026-07-28 client may receive on the
	 * request's stream: the response, progress, and log messages when the request asked
	 * for them with a log level. A target's own request (sampling, elicitation, roots) is
	 * handed to {@code refuse}: 2026-07-28 servers ask by multi round-trip results, not
	 * by requests on the stream.
	 */
	static Flux<JsonRpcMessage> relayed(Flux<JsonRpcMessage> messages, JsonRpcMessage request,
			Consumer<JsonRpcMessage> refuse) {
		boolean logs = RequestMeta.of(request).has(RequestMeta.LOG_LEVEL);
		return messages.filter((message) -> switch (message.kind()) {
			case RESPONSE -> true;
			case REQUEST -> {
				refuse.accept(message);
				yield false;
			}
			case NOTIFICATION ->
				McpMethods.PROGRESS.equals(message.method()) || (logs && McpMethods.MESSAGE.equals(message.method()));
		});
	}

}
