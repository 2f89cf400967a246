package dev.atrium.policy.auth;

import java.util.List;
import java.util.Objects;

/**
 * How one scenario authenticates and authorises.
 *
 * @param name the scenario's name
 * @param path its path prefix, e.g. {@code /internal}
 * @param issuers the issuers whose tokens it accepts
 * @param anonymous whether it serves callers without a token (only for local use)
 * @param operations which scopes each operation needs
 */
public record ScenarioAuth(String name, String path, List<IssuerSpec> issuers, boolean anonymous,
		OperationScopes operations) {

	public ScenarioAuth {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(path, "path");
		issuers = List.copyOf(issuers);
		Objects.requireNonNull(operations, "operations");
	}

	/** The MCP endpoint's path. */
	public String mcpPath() {
		return this.path + "/mcp";
	}

}
