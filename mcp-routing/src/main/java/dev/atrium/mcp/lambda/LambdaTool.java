package dev.atrium.mcp.lambda;

import java.util.regex.Pattern;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool of a Lambda target, defined in configuration: the function does not describe
 * itself, so its name, schemas and hints are what the operator says.
 *
 * @param name the tool's name, without the target's prefix
 * @param definition the tool as MCP lists it: name, optional title, description,
 * inputSchema, optional outputSchema and annotations
 */
public record LambdaTool(String name, ObjectNode definition) {

	/**
	 * MCP tool names (specification 2025-11-25, "Tool names"): 1 to 128 characters,
	 * letters, digits, underscore, hyphen and dot.
	 */
	public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * A tool from its configured parts.
	 * @param name the tool's name
	 * @param title a display name; may be null
	 * @param description what it does, for the model; may be null
	 * @param inputSchema a JSON Schema of the arguments, as JSON text
	 * @param outputSchema a JSON Schema of the function's JSON object answer, as JSON
	 * text; may be null
	 * @param hints what the tool does to the world; none may be set
	 * @throws IllegalArgumentException naming the part that is wrong
	 */
	public static LambdaTool of(String name, String title, String description, String inputSchema, String outputSchema,
			ToolHints hints) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"name must be 1 to 128 letters, digits, '_', '-' or '.', was '" + name + "'");
		}
		ObjectNode definition = JsonRpcCodec.object();
		definition.put("name", name);
		if (title != null) {
			definition.put("title", title);
		}
		if (description != null) {
			definition.put("description", description);
		}
		definition.set("inputSchema", schema("input-schema", inputSchema));
		if (outputSchema != null) {
			definition.set("outputSchema", schema("output-schema", outputSchema));
		}
		ObjectNode annotations = (hints != null) ? hints.annotations() : JsonRpcCodec.object();
		if (!annotations.isEmpty()) {
			definition.set("annotations", annotations);
		}
		return new LambdaTool(name, definition);
	}

	/**
	 * MCP wants both schemas to describe an object: arguments and structured content are.
	 */
	private static ObjectNode schema(String what, String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException(what + " is required: a JSON Schema as JSON text");
		}
		JsonNode schema;
		try {
			schema = JSON.readTree(text);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(what + " is not JSON: " + ex.getOriginalMessage());
		}
		if (!(schema instanceof ObjectNode object) || !"object".equals(object.path("type").asString(null))) {
			throw new IllegalArgumentException(
					what + " must be a JSON object with \"type\": \"object\", was " + text.strip());
		}
		return object;
	}

}
