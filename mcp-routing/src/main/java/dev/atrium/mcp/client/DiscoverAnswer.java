package dev.atrium.mcp.client;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.ProtocolVersion;
import dev.atrium.mcp.protocol.RequestMeta;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a target's answer to {@code server/discover} says of it (2026-07-28 versioning,
 * "Backward Compatibility"): a discover result that lists 2026-07-28, or one of that
 * revision's own errors, comes from a 2026-07-28 target; anything else from an older one,
 * which is to be sent {@code initialize}.
 */
final class DiscoverAnswer {

	private DiscoverAnswer() {
	}

	/**
	 * The discover result in the shape of an {@code initialize} result (protocolVersion,
	 * capabilities, serverInfo, instructions) for a 2026-07-28 target; empty for an older
	 * one; an error for a 2026-07-28 target that does not speak 2026-07-28 with Atrium.
	 */
	static Mono<ObjectNode> of(JsonRpcMessage response, String target) {
		if (response.node().get("result") instanceof ObjectNode result) {
			if (!lists(result.get("supportedVersions"), ProtocolVersion.V2026_07_28)) {
				return Mono.empty();
			}
			ObjectNode initialize = result.deepCopy();
			initialize.put("protocolVersion", ProtocolVersion.V2026_07_28);
			if (result.path("_meta").get(RequestMeta.SERVER_INFO) instanceof ObjectNode info) {
				initialize.set("serverInfo", info);
			}
			return Mono.just(initialize);
		}
		JsonNode error = response.node().path("error");
		int code = error.path("code").asInt(0);
		if (code == JsonRpcError.UNSUPPORTED_PROTOCOL_VERSION) {
			JsonNode supported = error.path("data").path("supported");
			// A dual-era target that no longer speaks 2026-07-28 still opens sessions.
			boolean older = ProtocolVersion.SUPPORTED.stream().anyMatch((version) -> lists(supported, version));
			return older ? Mono.empty() : Mono.error(TargetException.unavailable(target,
					"speaks none of Atrium's MCP revisions (it supports " + supported + ")"));
		}
		if (code == JsonRpcError.HEADER_MISMATCH || code == -32021) {
			return Mono.error(TargetException.unavailable(target,
					"refused server/discover: " + error.path("message").asString("")));
		}
		return Mono.empty();
	}

	private static boolean lists(JsonNode versions, String version) {
		if (versions == null || !versions.isArray()) {
			return false;
		}
		for (JsonNode candidate : versions) {
			if (version.equals(candidate.asString(""))) {
				return true;
			}
		}
		return false;
	}

}
