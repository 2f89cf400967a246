package dev.atrium.mcp.client;

import java.util.List;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.HeaderValues;
import dev.atrium.mcp.protocol.McpHeaders;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.RequestMeta;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;

/**
 * A request as a target of its revision expects it. A 2026-07-28 target has no session to
 * remember who asks: the revision and the client's capabilities go in every request's
 * {@code _meta}, and the method and name in headers that must match the body. A target of
 * an older revision gets none of those {@code _meta} keys, so that a dual-era target does
 * not take a request in its session for a sessionless one.
 */
final class ModernRequests {

	/** The per-request keys of 2026-07-28, which an older target is not sent. */
	private static final List<String> PER_REQUEST_KEYS = List.of(RequestMeta.PROTOCOL_VERSION, RequestMeta.CLIENT_INFO,
			RequestMeta.CLIENT_CAPABILITIES, RequestMeta.LOG_LEVEL);

	private ModernRequests() {
	}

	/**
	 * The request for a 2026-07-28 target: its revision in {@code _meta}, and empty
	 * client capabilities when the client declared none (a client of an older revision
	 * declared them in its session, which the target never saw).
	 */
	static JsonRpcMessage forModern(JsonRpcMessage request, String protocolVersion, ObjectNode clientInfo) {
		ObjectNode params = request.params().deepCopy();
		ObjectNode meta = (params.get("_meta") instanceof ObjectNode existing) ? existing : params.putObject("_meta");
		meta.put(RequestMeta.PROTOCOL_VERSION, protocolVersion);
		if (!(meta.get(RequestMeta.CLIENT_CAPABILITIES) instanceof ObjectNode)) {
			meta.putObject(RequestMeta.CLIENT_CAPABILITIES);
		}
		if (!meta.has(RequestMeta.CLIENT_INFO) && clientInfo != null) {
			meta.set(RequestMeta.CLIENT_INFO, clientInfo);
		}
		return request.withParams(params);
	}

	/** The request for a target of an older revision, without the 2026-07-28 keys. */
	static JsonRpcMessage forLegacy(JsonRpcMessage request) {
		if (!(request.params().get("_meta") instanceof ObjectNode meta)
				|| PER_REQUEST_KEYS.stream().noneMatch(meta::has)) {
			return request;
		}
		ObjectNode params = request.params().deepCopy();
		ObjectNode stripped = (ObjectNode) params.get("_meta");
		PER_REQUEST_KEYS.forEach(stripped::remove);
		if (stripped.isEmpty()) {
			params.remove("_meta");
		}
		return request.withParams(params);
	}

	/**
	 * The standard request headers, mirrored from the body (2026-07-28 streamable HTTP,
	 * "Standard Request Headers").
	 */
	static void headers(HttpHeaders headers, JsonRpcMessage request) {
		headers.set(McpHeaders.METHOD, request.method());
		String name = switch (request.method()) {
			case McpMethods.TOOLS_CALL, McpMethods.PROMPTS_GET -> request.stringParam("name");
			case McpMethods.RESOURCES_READ -> request.stringParam("uri");
			default -> null;
		};
		if (name != null) {
			headers.set(McpHeaders.NAME, HeaderValues.encode(name));
		}
	}

}
