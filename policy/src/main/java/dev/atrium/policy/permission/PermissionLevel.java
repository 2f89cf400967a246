package dev.atrium.policy.permission;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How much of a target a caller may use, as the seed grades third parties. Tool
 * annotations are the target's own hints: where a target is not trusted to describe its
 * tools honestly, list the tools a level admits instead (see {@link TargetPermission}).
 */
public enum PermissionLevel {

	/** The target is not there: not listed, not reachable. */
	NONE,

	/** Prompts, resources, and the tools annotated {@code readOnlyHint: true}. */
	READ_ONLY,

	/**
	 * What read-only admits, and the tools annotated {@code destructiveHint: false}:
	 * writes that only add. A tool without annotations may destroy (the MCP default).
	 */
	LIMITED_WRITE,

	/** Everything the target offers. */
	FULL;

	/** Whether a tool's annotations put it within this level. */
	public boolean admitsByAnnotations(ObjectNode tool) {
		JsonNode annotations = tool.path("annotations");
		return switch (this) {
			case NONE -> false;
			case READ_ONLY -> annotations.path("readOnlyHint").asBoolean(false);
			case LIMITED_WRITE -> annotations.path("readOnlyHint").asBoolean(false)
					|| (annotations.has("destructiveHint") && !annotations.path("destructiveHint").asBoolean(true));
			case FULL -> true;
		};
	}

	public PermissionLevel atMost(PermissionLevel cap) {
		return (compareTo(cap) <= 0) ? this : cap;
	}

}
