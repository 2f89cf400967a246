package dev.atrium.mcp.openapi;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import dev.atrium.mcp.client.credentials.OutboundCredentials;
import dev.atrium.mcp.client.credentials.OutboundCredentialsException;
import dev.atrium.mcp.client.credentials.OutgoingRequest;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the REST API for a tool: the arguments placed as the operation says, the target's
 * credentials added, the answer as an MCP {@code CallToolResult}. Failures of the API are
 * tool errors ({@code isError}), so that the model sees them.
 */
public final class OpenApiInvoker {

	/** How much of an error answer the model sees. */
	static final int MAX_ERROR_BODY = 4096;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI baseUrl;

	private final HttpClient httpClient;

	private final Duration timeout;

	private final OutboundCredentials credentials;

	private final Map<String, String> headers;

	/**
	 * @param baseUrl where the operations' paths start
	 * @param httpClient the client to send with
	 * @param timeout the longest wait for a whole answer
	 * @param credentials how Atrium proves its identity to the API
	 * @param headers headers sent with every request, under those of the arguments and
	 * the credentials
	 */
	public OpenApiInvoker(URI baseUrl, HttpClient httpClient, Duration timeout, OutboundCredentials credentials,
			Map<String, String> headers) {
		this.baseUrl = baseUrl;
		this.httpClient = httpClient;
		this.timeout = timeout;
		this.credentials = credentials;
		this.headers = Map.copyOf(headers);
	}

	/** The result of calling an operation with the tool's arguments. */
	public Mono<ObjectNode> call(OpenApiOperation operation, Map<String, Object> arguments) {
		Map<String, Object> given = (arguments != null) ? arguments : Map.of();
		for (OpenApiParameter parameter : operation.parameters()) {
			if (parameter.required() && given.get(parameter.name()) == null) {
				return Mono.just(error("Missing required argument '" + parameter.name() + "'"));
			}
		}
		if (operation.bodyRequired() && given.get(OpenApiOperation.BODY) == null) {
			return Mono.just(error("Missing required argument '" + OpenApiOperation.BODY + "'"));
		}
		OutgoingRequest request = request(operation, given);
		return this.credentials.headers(request)
			.flatMap((extra) -> send(request, extra))
			.timeout(this.timeout)
			.onErrorResume(TimeoutException.class,
					(ex) -> Mono
						.just(error(request.method() + " " + request.uri() + " timed out after " + this.timeout)))
			.onErrorResume(OutboundCredentialsException.class,
					(ex) -> Mono.just(error("No credentials for the API: " + ex.getMessage())))
			.onErrorResume((ex) -> !(ex instanceof Error),
					(ex) -> Mono
						.just(error(request.method() + " " + request.uri() + " failed: " + ex.getClass().getSimpleName()
								+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""))));
	}

	OutgoingRequest request(OpenApiOperation operation, Map<String, Object> arguments) {
		String path = operation.path();
		StringBuilder query = new StringBuilder();
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put("Accept", "application/json");
		for (OpenApiParameter parameter : operation.parameters()) {
			Object value = arguments.get(parameter.name());
			if (value == null) {
				continue;
			}
			switch (parameter.in()) {
				case PATH -> path = path.replace("{" + parameter.name() + "}", PercentEncoding.encode(text(value)));
				case QUERY -> {
					List<?> values = (value instanceof List<?> list) ? list : List.of(value);
					for (Object one : values) {
						query.append(query.isEmpty() ? "?" : "&")
							.append(PercentEncoding.encode(parameter.name()))
							.append('=')
							.append(PercentEncoding.encode(text(one)));
					}
				}
				case HEADER -> headers.put(parameter.name(), text(value));
			}
		}
		byte[] body = null;
		if (operation.body() && arguments.get(OpenApiOperation.BODY) != null) {
			body = JSON.writeValueAsBytes(arguments.get(OpenApiOperation.BODY));
			headers.put("Content-Type", "application/json");
		}
		String base = this.baseUrl.toString();
		base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		return new OutgoingRequest(operation.method(), URI.create(base + path + query), headers, body);
	}

	private Mono<ObjectNode> send(OutgoingRequest request, Map<String, String> credentialHeaders) {
		Map<String, String> headers = new LinkedHashMap<>(request.headers());
		headers.putAll(credentialHeaders);
		HttpClient.RequestSender sender = this.httpClient.headers((out) -> headers.forEach(out::set))
			.request(HttpMethod.valueOf(request.method()))
			.uri(request.uri());
		HttpClient.ResponseReceiver<?> receiver = (request.body().length > 0)
				? sender.send(Mono.just(Unpooled.wrappedBuffer(request.body()))) : sender;
		return receiver.responseSingle((response, content) -> content.asByteArray()
			.defaultIfEmpty(new byte[0])
			.map((bytes) -> result(response.status().code(), new String(bytes, StandardCharsets.UTF_8))));
	}

	static ObjectNode result(int status, String body) {
		if (status < 200 || status > 299) {
			String shown = (body.length() > MAX_ERROR_BODY) ? body.substring(0, MAX_ERROR_BODY) + "…" : body;
			return error("HTTP " + status + ": " + shown);
		}
		ObjectNode result = text(body.isEmpty() ? "HTTP " + status : body, false);
		JsonNode json = json(body);
		if (json != null && json.isObject()) {
			result.set("structuredContent", json);
		}
		return result;
	}

	private static JsonNode json(String body) {
		try {
			return body.isBlank() ? null : JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static String text(Object value) {
		return (value instanceof String || value instanceof Number || value instanceof Boolean) ? value.toString()
				: JSON.writeValueAsString(value);
	}

	static ObjectNode error(String message) {
		return text(message, true);
	}

	private static ObjectNode text(String text, boolean isError) {
		ObjectNode result = JsonRpcCodec.object();
		result.putArray("content").addObject().put("type", "text").put("text", text);
		result.put("isError", isError);
		return result;
	}

}
