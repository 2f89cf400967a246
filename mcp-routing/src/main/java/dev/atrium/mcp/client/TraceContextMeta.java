package dev.atrium.mcp.client;

import java.util.List;
import java.util.Map;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries the W3C trace context of a call to a target in {@code params._meta} too, where
 * the OpenTelemetry conventions for MCP put it: a target behind a proxy that drops
 * headers, or one that reads the context of each message of a stream, still joins the
 * trace. The headers stay; {@code _meta} gets the same values.
 */
final class TraceContextMeta {

	/** The W3C trace-context fields, as HTTP headers and as {@code _meta} keys. */
	static final List<String> FIELDS = List.of("traceparent", "tracestate");

	private TraceContextMeta() {
	}

	/**
	 * The message with the trace context of the headers in its {@code _meta}, or the
	 * message itself when the headers carry none or it is a response. The copy is shallow
	 * but for {@code params} and {@code _meta}: the arguments are shared, not copied.
	 */
	static JsonRpcMessage carry(JsonRpcMessage message, Map<String, String> headers) {
		String traceparent = headers.get("traceparent");
		JsonNode params = message.node().get("params");
		if (traceparent == null || message.kind() == JsonRpcMessage.Kind.RESPONSE
				|| (params != null && !params.isObject())) {
			return message;
		}
		ObjectNode copy = message.node().objectNode();
		copy.setAll(message.node());
		ObjectNode newParams = copy.putObject("params");
		if (params != null) {
			newParams.setAll((ObjectNode) params);
		}
		ObjectNode meta = newParams.putObject("_meta");
		if (params != null && params.get("_meta") instanceof ObjectNode existing) {
			meta.setAll(existing);
		}
		for (String field : FIELDS) {
			String value = headers.get(field);
			if (value != null) {
				meta.put(field, value);
			}
			else {
				meta.remove(field);
			}
		}
		return new JsonRpcMessage(copy);
	}

}
