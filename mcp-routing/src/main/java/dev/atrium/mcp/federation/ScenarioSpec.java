package dev.atrium.mcp.federation;

import java.util.List;
import java.util.Objects;

/**
 * One virtual MCP server: the targets it federates and how.
 *
 * @param name the scenario's name, e.g. {@code internal}
 * @param targets the targets, in the order their items are listed
 * @param naming when names get their target's prefix
 * @param maxNameLength the longest tool or prompt name handed to clients
 * @param pageSize how many items one page of a list holds
 * @param failurePolicy what lists do while a target has no catalog
 */
public record ScenarioSpec(String name, List<TargetRef> targets, NamingMode naming, int maxNameLength, int pageSize,
		FailurePolicy failurePolicy) {

	public ScenarioSpec {
		Objects.requireNonNull(name, "name");
		targets = List.copyOf(targets);
		Objects.requireNonNull(naming, "naming");
		Objects.requireNonNull(failurePolicy, "failurePolicy");
		if (pageSize < 1) {
			throw new IllegalArgumentException("page size must be > 0, was " + pageSize);
		}
	}

	/**
	 * A target as a scenario uses it.
	 *
	 * @param name the target's name
	 * @param prefix what its names are prefixed with
	 */
	public record TargetRef(String name, String prefix) {

	}

}
