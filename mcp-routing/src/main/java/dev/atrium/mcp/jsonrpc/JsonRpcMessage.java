package dev.atrium.mcp.jsonrpc;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 2.0 message, kept as a tree so that fields Atrium does not know pass
 * through untouched.
 *
 * @param node the message object, never {@code null}
 */
public record JsonRpcMessage(ObjectNode node) {

	/** The kinds of JSON-RPC message, told apart by which members are present. */
	public enum Kind {

		REQUEST, NOTIFICATION, RESPONSE

	}

	public Kind kind() {
		if (this.node.has("method")) {
			return this.node.has("id") ? Kind.REQUEST : Kind.NOTIFICATION;
		}
		return Kind.RESPONSE;
	}

	public boolean isRequest() {
		return kind() == Kind.REQUEST;
	}

	/** The method name, or {@code null} for a response. */
	public String method() {
		JsonNode method = this.node.get("method");
		return (method != null && method.isString()) ? method.asString() : null;
	}

	/** The id as it came (string or number), or {@code null} for a notification. */
	public JsonNode id() {
		return this.node.get("id");
	}

	/** The params object, or an empty object when absent. */
	public ObjectNode params() {
		JsonNode params = this.node.get("params");
		return (params instanceof ObjectNode object) ? object : this.node.objectNode();
	}

	/** A string member of {@code params}, or {@code null}. */
	public String stringParam(String name) {
		JsonNode value = params().get(name);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	/** A copy of this message whose {@code params} member is replaced. */
	public JsonRpcMessage withParams(ObjectNode params) {
		ObjectNode copy = this.node.deepCopy();
		copy.set("params", params);
		return new JsonRpcMessage(copy);
	}

	@Override
	public String toString() {
		return switch (kind()) {
			case REQUEST -> "request " + method() + " id=" + id();
			case NOTIFICATION -> "notification " + method();
			case RESPONSE -> "response id=" + id();
		};
	}

}
