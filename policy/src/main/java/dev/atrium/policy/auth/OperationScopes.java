package dev.atrium.policy.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which scopes each MCP operation needs, any one of them sufficing. Methods not listed
 * fall under {@code *}; an empty list means any authenticated caller.
 */
public final class OperationScopes {

	/** The key for every method not listed. */
	public static final String OTHER = "*";

	private static final List<String> READ = List.of("mcp:read", "mcp:write", "mcp:write:limited");

	private static final List<String> WRITE = List.of("mcp:write", "mcp:write:limited");

	private final Map<String, List<String>> rules;

	public OperationScopes(Map<String, List<String>> rules) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		rules.forEach((method, scopes) -> copy.put(method, List.copyOf(scopes)));
		this.rules = Map.copyOf(copy);
	}

	/**
	 * The seed's rules: {@code mcp:read} for lists, reads and gets (a writer may read
	 * too) and for following tasks, {@code mcp:write} or {@code mcp:write:limited} for
	 * calls and for cancelling tasks, nothing for the lifecycle, {@code mcp:debug} for
	 * logging levels.
	 */
	public static OperationScopes defaults() {
		Map<String, List<String>> rules = new LinkedHashMap<>();
		for (String method : List.of("tools/list", "prompts/list", "prompts/get", "resources/list",
				"resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe",
				"completion/complete", "tasks/get", "tasks/result", "tasks/list")) {
			rules.put(method, READ);
		}
		rules.put("tools/call", WRITE);
		// Cancelling a task stops a call: a write, as the call was.
		rules.put("tasks/cancel", WRITE);
		rules.put("logging/setLevel", List.of("mcp:debug"));
		rules.put("initialize", List.of());
		// What initialize tells in the sessionless revision (2026-07-28).
		rules.put("server/discover", List.of());
		rules.put("ping", List.of());
		rules.put(OTHER, READ);
		return new OperationScopes(rules);
	}

	/** These rules with some replaced. */
	public OperationScopes with(Map<String, List<String>> overrides) {
		Map<String, List<String>> merged = new LinkedHashMap<>(this.rules);
		merged.putAll(overrides);
		return new OperationScopes(merged);
	}

	public List<String> required(String method) {
		return this.rules.getOrDefault(method, this.rules.getOrDefault(OTHER, List.of()));
	}

	/** Every scope some rule names, for {@code scopes_supported}. */
	public List<String> allScopes() {
		return this.rules.values().stream().flatMap(List::stream).distinct().sorted().toList();
	}

}
