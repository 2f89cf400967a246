package dev.atrium.mcp.federation;

import java.util.Optional;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The ids clients see for targets' tasks (2025-11-25, experimental): {@code task.} and
 * the base64url of {@code [target, region, the target's task id]}, so that two targets'
 * tasks never share an id in a client session and any replica finds the task's target
 * from its id alone. Every place a task id travels is rewritten: the task a
 * task-augmented request created, the results of {@code tasks/get}, {@code tasks/cancel}
 * and {@code tasks/list}, {@code notifications/tasks/status}, and the
 * {@code io.modelcontextprotocol/related-task} metadata of any message.
 */
final class TaskIds {

	static final String RELATED_TASK = "io.modelcontextprotocol/related-task";

	private static final String PREFIX = "task.";

	private TaskIds() {
	}

	static String encode(String target, String region, String taskId) {
		return ServerRequestIds.encode(PREFIX, target, region, StringNode.valueOf(taskId));
	}

	/** The target, region and own id of a task; empty for an id Atrium did not give. */
	static Optional<ServerRequestIds.Origin> decode(JsonNode taskId) {
		return ServerRequestIds.decode(PREFIX, taskId).filter((origin) -> origin.id().isString());
	}

	/**
	 * A target's message with its task ids as the client knows them.
	 * @param message what the target sent
	 * @param method the method of the client's request it answers or belongs to
	 */
	static JsonRpcMessage toClient(JsonRpcMessage message, String method, String target, String region) {
		if (!mentionsTasks(message.node())) {
			return message;
		}
		ObjectNode node = message.node().deepCopy();
		JsonNode result = node.get("result");
		if (result instanceof ObjectNode answer) {
			if (answer.get("task") instanceof ObjectNode task) {
				rewrite(task, target, region);
			}
			if (McpMethods.TASKS_GET.equals(method) || McpMethods.TASKS_CANCEL.equals(method)) {
				rewrite(answer, target, region);
			}
			if (McpMethods.TASKS_LIST.equals(method)) {
				answer.path("tasks").forEach((task) -> {
					if (task instanceof ObjectNode listed) {
						rewrite(listed, target, region);
					}
				});
			}
		}
		if (node.get("params") instanceof ObjectNode params && McpMethods.TASKS_STATUS.equals(message.method())) {
			rewrite(params, target, region);
		}
		if (related(node) instanceof ObjectNode related) {
			rewrite(related, target, region);
		}
		return new JsonRpcMessage(node);
	}

	/**
	 * A client's message to a target with the target's own task ids in its
	 * {@code related-task} metadata (e.g. its answer to an elicitation a task asked for).
	 */
	static JsonRpcMessage fromClient(JsonRpcMessage message) {
		if (!(related(message.node()) instanceof ObjectNode)) {
			return message;
		}
		ObjectNode node = message.node().deepCopy();
		ObjectNode related = (ObjectNode) related(node);
		decode(related.get("taskId")).ifPresent((origin) -> related.set("taskId", origin.id()));
		return new JsonRpcMessage(node);
	}

	/** A cheap look before any copy: most messages have nothing to do with tasks. */
	private static boolean mentionsTasks(JsonNode node) {
		JsonNode result = node.get("result");
		return (result != null && (result.has("task") || result.has("taskId") || result.has("tasks")))
				|| McpMethods.TASKS_STATUS.equals(node.path("method").asString(null)) || related(node) != null;
	}

	private static JsonNode related(JsonNode node) {
		for (String member : new String[] { "result", "params" }) {
			JsonNode meta = node.path(member).path("_meta").get(RELATED_TASK);
			if (meta != null) {
				return meta;
			}
		}
		return null;
	}

	private static void rewrite(ObjectNode holder, String target, String region) {
		JsonNode taskId = holder.get("taskId");
		if (taskId != null && taskId.isString()) {
			holder.put("taskId", encode(target, region, taskId.asString()));
		}
	}

}
