package dev.atrium.policy.permission;

import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.node.ObjectNode;

/**
 * A scenario's permission on one target.
 *
 * @param level how much of the target callers may use
 * @param tools when not empty, the tools (the target's own names) that a level below full
 * admits, instead of what their annotations say
 */
public record TargetPermission(PermissionLevel level, Set<String> tools) {

	public static final TargetPermission FULL = new TargetPermission(PermissionLevel.FULL, Set.of());

	public TargetPermission {
		Objects.requireNonNull(level, "level");
		tools = Set.copyOf(tools);
	}

	/**
	 * Whether a caller held at some level may use a tool: at full, every tool; below it,
	 * the listed tools, or, without a list, those the annotations admit.
	 */
	public boolean admits(ObjectNode tool, PermissionLevel cap) {
		PermissionLevel effective = this.level.atMost(cap);
		return switch (effective) {
			case FULL -> true;
			case NONE -> false;
			// The list says what this target's level admits; a caller capped lower falls
			// back to the annotations of its own level.
			default -> (effective == this.level && !this.tools.isEmpty())
					? this.tools.contains(tool.path("name").asString("")) : effective.admitsByAnnotations(tool);
		};
	}

}
