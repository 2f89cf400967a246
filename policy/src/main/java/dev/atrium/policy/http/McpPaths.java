package dev.atrium.policy.http;

import java.util.function.Predicate;

/**
 * Which request paths are MCP endpoints, where the transport's protections apply: the
 * scenario endpoints, the pass-through routes and the demo target. Actuator endpoints are
 * left alone, since probes reach them by pod IP.
 */
public final class McpPaths {

	private McpPaths() {
	}

	public static Predicate<String> endpoints() {
		return (path) -> path.endsWith("/mcp");
	}

}
