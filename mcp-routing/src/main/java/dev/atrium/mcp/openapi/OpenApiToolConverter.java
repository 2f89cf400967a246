package dev.atrium.mcp.openapi;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;

/**
 * Turns the operations of an OpenAPI 3 document into MCP tools: one tool per operation,
 * its parameters and JSON body as the input schema, hints from its HTTP method.
 */
public final class OpenApiToolConverter {

	private static final Logger logger = LoggerFactory.getLogger(OpenApiToolConverter.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private OpenApiToolConverter() {
	}

	/**
	 * The tools of a document.
	 * @param api the document, its references resolved
	 * @param operationIds the operations to keep; empty for all
	 * @throws OpenApiException when an allowed operation does not exist, or no tool
	 * remains
	 */
	public static List<OpenApiTool> tools(OpenAPI api, Set<String> operationIds) {
		List<OpenApiTool> tools = new ArrayList<>();
		Set<String> names = new HashSet<>();
		Set<String> unknown = new TreeSet<>(operationIds);
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			if (operation.getOperationId() != null) {
				unknown.remove(operation.getOperationId());
			}
			if (!operationIds.isEmpty()
					&& (operation.getOperationId() == null || !operationIds.contains(operation.getOperationId()))) {
				return;
			}
			OpenApiTool tool = tool(api, method, path, item, operation, names);
			if (tool != null) {
				names.add(tool.name());
				tools.add(tool);
			}
		}));
		if (!unknown.isEmpty()) {
			throw new OpenApiException("the document has no operations with ids " + unknown);
		}
		if (tools.isEmpty()) {
			throw new OpenApiException("the document has no operations Atrium can call");
		}
		return List.copyOf(tools);
	}

	/**
	 * Where the operations' paths start: the override when given, else the document's
	 * first server, its variables at their defaults, resolved against the document's URL.
	 */
	public static URI baseUrl(OpenAPI api, String location, URI override) {
		if (override != null) {
			return override;
		}
		if (api.getServers() == null || api.getServers().isEmpty()) {
			throw new OpenApiException("the document has no servers; set base-url");
		}
		io.swagger.v3.oas.models.servers.Server server = api.getServers().get(0);
		String url = server.getUrl();
		if (server.getVariables() != null) {
			for (var variable : server.getVariables().entrySet()) {
				url = url.replace("{" + variable.getKey() + "}", variable.getValue().getDefault());
			}
		}
		URI uri = URI.create(url);
		if (uri.isAbsolute()) {
			return uri;
		}
		if (location.startsWith("http://") || location.startsWith("https://")) {
			return URI.create(location).resolve(uri);
		}
		throw new OpenApiException("the document's first server '" + url + "' is relative; set base-url");
	}

	private static OpenApiTool tool(OpenAPI api, PathItem.HttpMethod method, String path, PathItem item,
			Operation operation, Set<String> taken) {
		String verb = method.name().toUpperCase(Locale.ROOT);
		ObjectNode properties = JsonRpcCodec.object();
		ArrayNode required = JSON.createArrayNode();
		List<OpenApiParameter> parameters = new ArrayList<>();
		for (Parameter parameter : parameters(item, operation)) {
			OpenApiParameter.Location in = location(parameter.getIn());
			if (in == null) {
				continue;
			}
			boolean isRequired = Boolean.TRUE.equals(parameter.getRequired()) || in == OpenApiParameter.Location.PATH;
			parameters.add(new OpenApiParameter(parameter.getName(), in, isRequired));
			ObjectNode schema = (parameter.getSchema() != null) ? schema(api, parameter.getSchema())
					: JsonRpcCodec.object().put("type", "string");
			if (parameter.getDescription() != null && !schema.has("description")) {
				schema.put("description", parameter.getDescription());
			}
			properties.set(parameter.getName(), schema);
			if (isRequired) {
				required.add(parameter.getName());
			}
		}
		boolean body = false;
		boolean bodyRequired = false;
		if (operation.getRequestBody() != null) {
			MediaType json = json(operation.getRequestBody().getContent());
			if (json == null) {
				logger.info("Skipping {} {}: its request body is not JSON", verb, path);
				return null;
			}
			body = true;
			bodyRequired = Boolean.TRUE.equals(operation.getRequestBody().getRequired());
			ObjectNode schema = (json.getSchema() != null) ? schema(api, json.getSchema()) : JsonRpcCodec.object();
			if (operation.getRequestBody().getDescription() != null && !schema.has("description")) {
				schema.put("description", operation.getRequestBody().getDescription());
			}
			properties.set(OpenApiOperation.BODY, schema);
			if (bodyRequired) {
				required.add(OpenApiOperation.BODY);
			}
		}
		String name = unique(name(operation.getOperationId(), method, path), taken);
		ObjectNode definition = JsonRpcCodec.object();
		definition.put("name", name);
		if (operation.getSummary() != null) {
			definition.put("title", operation.getSummary());
		}
		definition.put("description", description(verb, path, operation));
		ObjectNode input = definition.putObject("inputSchema");
		input.put("type", "object");
		input.set("properties", properties);
		if (!required.isEmpty()) {
			input.set("required", required);
		}
		ObjectNode output = outputSchema(api, operation);
		if (output != null) {
			definition.set("outputSchema", output);
		}
		definition.set("annotations", annotations(verb, operation.getSummary()));
		return new OpenApiTool(name, definition, new OpenApiOperation(verb, path, parameters, body, bodyRequired));
	}

	/**
	 * The path item's parameters, overridden by the operation's of the same name and
	 * place.
	 */
	private static List<Parameter> parameters(PathItem item, Operation operation) {
		Map<String, Parameter> merged = new LinkedHashMap<>();
		for (List<Parameter> level : java.util.Arrays.asList(item.getParameters(), operation.getParameters())) {
			if (level != null) {
				level.forEach((parameter) -> merged.put(parameter.getIn() + ":" + parameter.getName(), parameter));
			}
		}
		return new ArrayList<>(merged.values());
	}

	private static OpenApiParameter.Location location(String in) {
		return switch (String.valueOf(in)) {
			case "path" -> OpenApiParameter.Location.PATH;
			case "query" -> OpenApiParameter.Location.QUERY;
			case "header" -> OpenApiParameter.Location.HEADER;
			default -> null;
		};
	}

	/** MCP tool names: 1 to 64 of {@code A-Z a-z 0-9 _ . -}. */
	static String name(String operationId, PathItem.HttpMethod method, String path) {
		String raw = (operationId != null && !operationId.isBlank()) ? operationId
				: method.name().toLowerCase(Locale.ROOT) + "_" + path;
		String name = raw.replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("_{2,}", "_").replaceAll("^_|_$", "");
		if (name.isEmpty()) {
			name = method.name().toLowerCase(Locale.ROOT);
		}
		return (name.length() > 64) ? name.substring(0, 64) : name;
	}

	private static String unique(String name, Set<String> taken) {
		String candidate = name;
		for (int i = 2; taken.contains(candidate); i++) {
			String suffix = "_" + i;
			candidate = name.substring(0, Math.min(name.length(), 64 - suffix.length())) + suffix;
		}
		return candidate;
	}

	private static String description(String verb, String path, Operation operation) {
		String summary = operation.getSummary();
		String description = operation.getDescription();
		if (summary != null && description != null) {
			return summary + "\n\n" + description;
		}
		if (summary != null || description != null) {
			return (summary != null) ? summary : description;
		}
		return verb + " " + path;
	}

	/** Hints from HTTP semantics (RFC 9110 §9.2): safe and idempotent methods. */
	private static ObjectNode annotations(String verb, String title) {
		ObjectNode annotations = JsonRpcCodec.object();
		if (title != null) {
			annotations.put("title", title);
		}
		boolean safe = verb.equals("GET") || verb.equals("HEAD");
		annotations.put("readOnlyHint", safe);
		annotations.put("idempotentHint", safe || verb.equals("PUT") || verb.equals("DELETE"));
		if (verb.equals("DELETE")) {
			annotations.put("destructiveHint", true);
		}
		annotations.put("openWorldHint", true);
		return annotations;
	}

	/** The JSON object schema of the first 2xx answer, if it has one. */
	private static ObjectNode outputSchema(OpenAPI api, Operation operation) {
		if (operation.getResponses() == null) {
			return null;
		}
		for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
			if (!response.getKey().startsWith("2")) {
				continue;
			}
			MediaType json = json(response.getValue().getContent());
			if (json == null || json.getSchema() == null) {
				return null;
			}
			ObjectNode schema = schema(api, json.getSchema());
			JsonNode type = schema.get("type");
			boolean object = (type != null) && (type.isString() ? type.asString().equals("object")
					: type.isArray() && type.toString().contains("\"object\""));
			return object ? schema : null;
		}
		return null;
	}

	private static MediaType json(Content content) {
		if (content == null) {
			return null;
		}
		for (Map.Entry<String, MediaType> entry : content.entrySet()) {
			String type = entry.getKey().toLowerCase(Locale.ROOT);
			if (type.startsWith("application/json") || type.contains("+json")) {
				return entry.getValue();
			}
		}
		return null;
	}

	private static ObjectNode schema(OpenAPI api, Schema<?> schema) {
		try {
			String text = (api.getSpecVersion() == SpecVersion.V31) ? Json31.mapper().writeValueAsString(schema)
					: Json.mapper().writeValueAsString(schema);
			return (ObjectNode) JSON.readTree(text);
		}
		catch (JsonProcessingException ex) {
			throw new OpenApiException("a schema cannot be written as JSON: " + ex.getOriginalMessage());
		}
	}

}
