package dev.atrium.mcp.jsonrpc;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes JSON-RPC messages, and builds the few messages Atrium writes itself.
 */
public final class JsonRpcCodec {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final ObjectMapper mapper;

	private final ObjectMapper clientMapper;

	private final JsonLimits limits;

	public JsonRpcCodec() {
		this(JsonMapper.builder().build(), JsonLimits.DEFAULT);
	}

	/**
	 * @param mapper writes every message and reads the targets' messages
	 * @param limits what a client message may hold; its parser enforces them
	 */
	public JsonRpcCodec(ObjectMapper mapper, JsonLimits limits) {
		this.mapper = mapper;
		// Read constraints belong to the parser factory, so clients get a mapper of
		// their own; a tree needs none of the shared mapper's customisations.
		this.clientMapper = JsonMapper
			.builder(JsonFactory.builder().streamReadConstraints(limits.constraints()).build())
			.build();
		this.limits = limits;
	}

	public ObjectMapper mapper() {
		return this.mapper;
	}

	/**
	 * Parses one message received from a client.
	 * @throws JsonRpcException with {@link JsonRpcError#PARSE_ERROR} for invalid JSON and
	 * {@link JsonRpcError#INVALID_REQUEST} for JSON that is not a single message;
	 * {@link JsonRpcError#PARSE_ERROR} naming the limit for JSON over the
	 * {@link JsonLimits}
	 */
	public JsonRpcMessage readClientMessage(byte[] body) {
		JsonNode tree;
		try {
			tree = this.clientMapper.readTree(body);
		}
		catch (StreamConstraintsException ex) {
			throw this.limits.exceeded(ex);
		}
		catch (JacksonException ex) {
			throw new JsonRpcException(JsonRpcError.PARSE_ERROR, "Parse error: the body is not valid JSON");
		}
		if (tree == null || tree.isMissingNode()) {
			throw new JsonRpcException(JsonRpcError.PARSE_ERROR, "Parse error: the body is empty");
		}
		if (tree.isArray()) {
			// Batches were removed from MCP in 2025-06-18; Atrium refuses them for every
			// revision so that policy and audit always see one message per request.
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST,
					"Invalid Request: JSON-RPC batches are not supported, send one message per request");
		}
		if (!(tree instanceof ObjectNode object)) {
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST, "Invalid Request: expected a JSON object");
		}
		return validate(new JsonRpcMessage(object));
	}

	/** Parses one message received from a target; lenient, only the shape is checked. */
	public JsonRpcMessage readTargetMessage(String json) {
		JsonNode tree = this.mapper.readTree(json);
		if (!(tree instanceof ObjectNode object)) {
			throw new JsonRpcException(JsonRpcError.INTERNAL_ERROR, "Target sent something that is not a JSON object");
		}
		return new JsonRpcMessage(object);
	}

	private JsonRpcMessage validate(JsonRpcMessage message) {
		JsonNode version = message.node().get("jsonrpc");
		if (version == null || !"2.0".equals(version.asString(null))) {
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
		}
		JsonNode method = message.node().get("method");
		if (method != null && !method.isString()) {
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST, "Invalid Request: \"method\" must be a string");
		}
		JsonNode id = message.node().get("id");
		if (id != null && !(id.isString() || id.isIntegralNumber())) {
			// MCP forbids null ids and JSON-RPC discourages fractions.
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST,
					"Invalid Request: \"id\" must be a string or an integer");
		}
		if (method == null && id == null) {
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST,
					"Invalid Request: neither a request, a notification nor a response");
		}
		if (method == null && !message.node().has("result") && !message.node().has("error")) {
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST,
					"Invalid Request: a response needs \"result\" or \"error\"");
		}
		JsonNode params = message.node().get("params");
		if (params != null && !params.isObject()) {
			throw new JsonRpcException(JsonRpcError.INVALID_REQUEST, "Invalid Request: \"params\" must be an object");
		}
		return message;
	}

	public byte[] write(JsonRpcMessage message) {
		return this.mapper.writeValueAsBytes(message.node());
	}

	public String writeString(JsonNode node) {
		return this.mapper.writeValueAsString(node);
	}

	public static ObjectNode object() {
		return NODES.objectNode();
	}

	public static JsonRpcMessage request(JsonNode id, String method, ObjectNode params) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		node.set("id", id);
		node.put("method", method);
		if (params != null) {
			node.set("params", params);
		}
		return new JsonRpcMessage(node);
	}

	public static JsonRpcMessage request(String id, String method, ObjectNode params) {
		return request(NODES.stringNode(id), method, params);
	}

	public static JsonRpcMessage notification(String method, ObjectNode params) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		node.put("method", method);
		if (params != null) {
			node.set("params", params);
		}
		return new JsonRpcMessage(node);
	}

	public static JsonRpcMessage result(JsonNode id, JsonNode result) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		node.set("id", id);
		node.set("result", result);
		return new JsonRpcMessage(node);
	}

	public static JsonRpcMessage error(JsonNode id, JsonRpcError error) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		// JSON-RPC 2.0, section 5: id is null when it could not be determined.
		node.set("id", (id != null) ? id : NODES.nullNode());
		ObjectNode body = node.putObject("error");
		body.put("code", error.code());
		body.put("message", error.message());
		return new JsonRpcMessage(node);
	}

}
