package dev.atrium.mcp.protocol;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import tools.jackson.databind.JsonNode;

/**
 * The {@code Mcp-Param-{Name}} headers of a 2026-07-28 {@code tools/call}: a tool's input
 * schema may mark argument properties with {@code x-mcp-header}, whose values the client
 * mirrors into those headers; a server that reads the body must refuse a call whose
 * header is missing or differs from the argument (streamable HTTP, "Custom Headers from
 * Tool Parameters", "Server Behavior for Custom Headers").
 */
public final class ParamHeaders {

	public static final String PREFIX = "Mcp-Param-";

	/**
	 * Where a routed call keeps, in its Reactor context, the headers to send a 2026-07-28
	 * target (a {@code Map<String, String>}).
	 */
	public static final String CONTEXT_KEY = ParamHeaders.class.getName();

	private static final String ANNOTATION = "x-mcp-header";

	private ParamHeaders() {
	}

	/**
	 * Why the call is refused, if it is.
	 * @param headers the first value of a request header by name, or {@code null}
	 * @param inputSchema the called tool's input schema
	 */
	public static Optional<SessionlessRequests.Refusal> check(Function<String, String> headers, JsonNode inputSchema,
			JsonRpcMessage call) {
		JsonNode arguments = call.params().path("arguments");
		for (Map.Entry<String, List<String>> marked : marked(inputSchema).entrySet()) {
			JsonNode value = at(arguments, marked.getValue());
			if (value == null || value.isNull() || value.isMissingNode()) {
				// No value: the client omits the header and nothing is expected.
				continue;
			}
			String name = PREFIX + marked.getKey();
			String header = headers.apply(name);
			if (header == null) {
				return mismatch(call, "the " + name + " header is required: the argument is given");
			}
			Optional<String> decoded = HeaderValues.decode(header);
			if (decoded.isEmpty() || !matches(decoded.get(), value)) {
				return mismatch(call, name + " header value does not match the argument");
			}
		}
		return Optional.empty();
	}

	/**
	 * The headers a client sends for a call: one per marked argument that has a value,
	 * encoded as the transport says.
	 */
	public static Map<String, String> mirrored(JsonNode inputSchema, JsonNode arguments) {
		Map<String, String> headers = new LinkedHashMap<>();
		marked(inputSchema).forEach((name, path) -> {
			JsonNode value = at(arguments, path);
			if (value.isString() || value.isNumber() || value.isBoolean()) {
				String text = value.isString() ? value.asString() : value.asString("");
				headers.put(PREFIX + name,
						HeaderValues.encode(value.isBoolean() ? String.valueOf(value.asBoolean()) : text));
			}
		});
		return headers;
	}

	/** The header names the schema marks, each with its property path. */
	static Map<String, List<String>> marked(JsonNode schema) {
		Map<String, List<String>> found = new LinkedHashMap<>();
		collect(schema, new ArrayList<>(), found);
		return found;
	}

	private static void collect(JsonNode schema, List<String> path, Map<String, List<String>> found) {
		JsonNode properties = (schema != null) ? schema.get("properties") : null;
		if (properties == null || !properties.isObject()) {
			return;
		}
		properties.properties().forEach((entry) -> {
			List<String> here = new ArrayList<>(path);
			here.add(entry.getKey());
			JsonNode header = entry.getValue().get(ANNOTATION);
			if (header != null && header.isString()) {
				found.put(header.asString(), List.copyOf(here));
			}
			collect(entry.getValue(), here, found);
		});
	}

	private static JsonNode at(JsonNode arguments, List<String> path) {
		JsonNode node = arguments;
		for (String member : path) {
			node = node.path(member);
		}
		return node;
	}

	/**
	 * Strings as they are, numbers numerically ({@code 42.0} is {@code 42}), booleans in
	 * lower case.
	 */
	private static boolean matches(String header, JsonNode value) {
		if (value.isNumber()) {
			try {
				return new BigDecimal(header.strip()).compareTo(value.decimalValue()) == 0;
			}
			catch (NumberFormatException ex) {
				return false;
			}
		}
		if (value.isBoolean()) {
			return header.equals(String.valueOf(value.asBoolean()));
		}
		return value.isString() && header.equals(value.asString());
	}

	private static Optional<SessionlessRequests.Refusal> mismatch(JsonRpcMessage call, String detail) {
		return Optional.of(new SessionlessRequests.Refusal(SessionlessRequests.BAD_REQUEST, JsonRpcCodec
			.error(call.id(), new JsonRpcError(JsonRpcError.HEADER_MISMATCH, "Header mismatch: " + detail))));
	}

}
