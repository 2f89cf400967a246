package dev.atrium.mcp.lambda;

import java.nio.charset.StandardCharsets;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a function answered, as an MCP {@code CallToolResult}: its JSON object as text and
 * as structured content, any other answer as text, and a function error as a tool error
 * with the function's {@code errorMessage}, so that the model sees it.
 */
final class LambdaResults {

	/** How much of an answer that is not JSON the model sees of a function error. */
	static final int MAX_ERROR_TEXT = 4096;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private LambdaResults() {
	}

	/**
	 * @param functionError the {@code X-Amz-Function-Error} header: null when the
	 * function returned, {@code Unhandled} or {@code Handled} when it failed
	 * @param payload what the function returned, or its error document
	 */
	static ObjectNode of(String functionError, byte[] payload) {
		String text = (payload != null) ? new String(payload, StandardCharsets.UTF_8) : "";
		JsonNode json = json(text);
		if (functionError != null) {
			return error(errorMessage(functionError, text, json));
		}
		ObjectNode result = text(text, false);
		if (json instanceof ObjectNode object) {
			result.set("structuredContent", object);
		}
		return result;
	}

	/**
	 * A failed function answers {@code {"errorMessage", "errorType", "stackTrace"}}; the
	 * stack trace stays out of what the model sees.
	 */
	private static String errorMessage(String functionError, String text, JsonNode json) {
		String message = (json != null) ? json.path("errorMessage").asString(null) : null;
		if (message != null) {
			return message;
		}
		if (!text.isBlank() && json == null) {
			return (text.length() > MAX_ERROR_TEXT) ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
		}
		return "The function failed (" + functionError + ")";
	}

	static ObjectNode error(String message) {
		return text(message, true);
	}

	private static JsonNode json(String text) {
		try {
			return text.isBlank() ? null : JSON.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static ObjectNode text(String text, boolean isError) {
		ObjectNode result = JsonRpcCodec.object();
		result.putArray("content").addObject().put("type", "text").put("text", text);
		result.put("isError", isError);
		return result;
	}

}
