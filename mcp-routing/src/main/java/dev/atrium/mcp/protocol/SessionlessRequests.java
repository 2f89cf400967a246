package dev.atrium.mcp.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells a 2026-07-28 request from an older one, and checks that what its HTTP headers say
 * is what its body says: intermediaries route and rate-limit on the headers, the server
 * acts on the body, and the two must not differ (2026-07-28 streamable HTTP, "Server
 * Validation"). Free of HTTP: headers are read through a function.
 */
public final class SessionlessRequests {

	/** HTTP 400, the status of every refusal here. */
	public static final int BAD_REQUEST = 400;

	private SessionlessRequests() {
	}

	/**
	 * Whether a request is to be served without a session: its
	 * {@code MCP-Protocol-Version} header names a sessionless revision, or its body says
	 * its revision in {@code _meta} (a dual-era server picks the era from how the client
	 * opens; 2026-07-28 versioning, "Backward Compatibility").
	 * @param headerVersion the {@code MCP-Protocol-Version} header, or {@code null}
	 */
	public static boolean isSessionless(String headerVersion, JsonRpcMessage message) {
		return ProtocolVersion.isModern(headerVersion) || RequestMeta.carriesProtocolVersion(message);
	}

	/**
	 * Why a sessionless request is refused, if it is.
	 * @param headers the first value of a request header by name, or {@code null}
	 */
	public static Optional<Refusal> check(Function<String, String> headers, JsonRpcMessage message) {
		if (!message.isRequest()) {
			// 2026-07-28 defines no header for a notification POST.
			return Optional.empty();
		}
		JsonNode id = message.id();
		String headerVersion = headers.apply(McpHeaders.PROTOCOL_VERSION);
		if (headerVersion == null) {
			return mismatch(id, "the " + McpHeaders.PROTOCOL_VERSION + " header is required");
		}
		String bodyVersion = RequestMeta.protocolVersion(message);
		if (bodyVersion == null) {
			// A request missing a required _meta field is malformed (basic protocol,
			// "Per-request protocol fields"): -32602 with 400.
			return invalidParams(id, "params._meta." + RequestMeta.PROTOCOL_VERSION + " is required");
		}
		if (!headerVersion.equals(bodyVersion)) {
			return mismatch(id, McpHeaders.PROTOCOL_VERSION + " header value '" + headerVersion
					+ "' does not match body value '" + bodyVersion + "'");
		}
		if (!ProtocolVersion.isModern(bodyVersion)) {
			return Optional.of(new Refusal(BAD_REQUEST, unsupportedVersion(id, bodyVersion)));
		}
		if (!(RequestMeta.of(message).get(RequestMeta.CLIENT_CAPABILITIES) instanceof ObjectNode)) {
			return invalidParams(id, "params._meta." + RequestMeta.CLIENT_CAPABILITIES + " is required");
		}
		String method = headers.apply(McpHeaders.METHOD);
		if (method == null) {
			return mismatch(id, "the " + McpHeaders.METHOD + " header is required");
		}
		if (!method.equals(message.method())) {
			return mismatch(id, McpHeaders.METHOD + " header value '" + method + "' does not match body value '"
					+ message.method() + "'");
		}
		return checkName(headers.apply(McpHeaders.NAME), message);
	}

	/**
	 * The {@code Mcp-Name} header, required for the requests that name a tool, prompt or
	 * resource, decoded before it is compared.
	 */
	private static Optional<Refusal> checkName(String header, JsonRpcMessage message) {
		String member = switch (message.method()) {
			case McpMethods.TOOLS_CALL, McpMethods.PROMPTS_GET -> "name";
			case McpMethods.RESOURCES_READ -> "uri";
			default -> null;
		};
		if (member == null) {
			return Optional.empty();
		}
		JsonNode id = message.id();
		if (header == null) {
			return mismatch(id, "the " + McpHeaders.NAME + " header is required for " + message.method());
		}
		Optional<String> decoded = HeaderValues.decode(header);
		if (decoded.isEmpty()) {
			return mismatch(id, McpHeaders.NAME + " header value is not a valid header value");
		}
		String body = message.stringParam(member);
		if (!Objects.equals(decoded.get(), body)) {
			return mismatch(id,
					McpHeaders.NAME + " header value '" + header + "' does not match body value '" + body + "'");
		}
		return Optional.empty();
	}

	/**
	 * The error for a revision Atrium does not speak, listing those it does, so that a
	 * client can retry with one of them (2026-07-28 versioning, "Protocol Version
	 * Negotiation").
	 * @param id the request's id, or {@code null} when it was not read
	 */
	public static JsonRpcMessage unsupportedVersion(JsonNode id, String requested) {
		JsonRpcMessage error = JsonRpcCodec.error(id, new JsonRpcError(JsonRpcError.UNSUPPORTED_PROTOCOL_VERSION,
				"Unsupported protocol version: " + requested));
		ObjectNode data = ((ObjectNode) error.node().get("error")).putObject("data");
		ArrayNode supported = data.putArray("supported");
		ProtocolVersion.ALL.forEach(supported::add);
		data.put("requested", requested);
		return error;
	}

	private static Optional<Refusal> mismatch(JsonNode id, String detail) {
		return Optional.of(new Refusal(BAD_REQUEST,
				JsonRpcCodec.error(id, new JsonRpcError(JsonRpcError.HEADER_MISMATCH, "Header mismatch: " + detail))));
	}

	private static Optional<Refusal> invalidParams(JsonNode id, String detail) {
		return Optional.of(new Refusal(BAD_REQUEST, JsonRpcCodec.error(id, JsonRpcError.invalidParams(detail))));
	}

	/**
	 * A request refused before it is served.
	 *
	 * @param status the HTTP status
	 * @param error the JSON-RPC error response
	 */
	public record Refusal(int status, JsonRpcMessage error) {

	}

}
