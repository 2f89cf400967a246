package dev.atrium.policy.permission;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A scenario's permissions on its targets, and how a caller's scopes cap them: the seed's
 * third parties hold {@code mcp:write:limited}, which reaches no further than
 * limited-write whatever a target allows.
 */
public final class ScenarioPermissions {

	/** Everything, for everyone: a scenario that configures no permissions. */
	public static final ScenarioPermissions FULL = new ScenarioPermissions(PermissionLevel.FULL, Map.of(), Map.of());

	private final PermissionLevel defaultLevel;

	private final Map<String, TargetPermission> targets;

	private final Map<String, PermissionLevel> scopeLevels;

	/**
	 * @param defaultLevel the level of targets not listed
	 * @param targets permissions by target name
	 * @param scopeLevels the most each scope reaches; a caller reaches the most any of
	 * its scopes does, and nothing with none of them; empty: scopes cap nothing
	 */
	public ScenarioPermissions(PermissionLevel defaultLevel, Map<String, TargetPermission> targets,
			Map<String, PermissionLevel> scopeLevels) {
		this.defaultLevel = defaultLevel;
		this.targets = Map.copyOf(targets);
		this.scopeLevels = Map.copyOf(new LinkedHashMap<>(scopeLevels));
	}

	/** The seed's scopes: write is full, limited write is limited, read is read-only. */
	public static Map<String, PermissionLevel> seedScopeLevels() {
		return Map.of("mcp:write", PermissionLevel.FULL, "mcp:write:limited", PermissionLevel.LIMITED_WRITE, "mcp:read",
				PermissionLevel.READ_ONLY);
	}

	public TargetPermission target(String target) {
		TargetPermission permission = this.targets.get(target);
		return (permission != null) ? permission : new TargetPermission(this.defaultLevel, Set.of());
	}

	/**
	 * The most a caller with these scopes may reach.
	 * @param authenticated whether the caller has a token at all: anonymous callers of
	 * local scenarios are not capped
	 */
	public PermissionLevel cap(boolean authenticated, Set<String> scopes) {
		if (!authenticated || this.scopeLevels.isEmpty()) {
			return PermissionLevel.FULL;
		}
		PermissionLevel cap = PermissionLevel.NONE;
		for (String scope : scopes) {
			PermissionLevel level = this.scopeLevels.get(scope);
			if (level != null && level.compareTo(cap) > 0) {
				cap = level;
			}
		}
		return cap;
	}

	@Override
	public String toString() {
		return "ScenarioPermissions[default=" + this.defaultLevel + ", targets=" + this.targets + ", scopeLevels="
				+ this.scopeLevels + "]";
	}

}
