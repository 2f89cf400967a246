package dev.atrium.policy.access;

import dev.atrium.mcp.federation.CatalogView;
import dev.atrium.policy.permission.PermissionLevel;
import dev.atrium.policy.permission.ScenarioPermissions;
import dev.atrium.policy.tenant.TargetTenants;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one caller sees of a scenario: the targets of its tenant and the shared ones, and
 * of those the tools its permission level reaches.
 */
final class CallerView implements CatalogView {

	private final String tenant;

	private final PermissionLevel cap;

	private final ScenarioPermissions permissions;

	private final TargetTenants tenants;

	private final String key;

	CallerView(String tenant, PermissionLevel cap, ScenarioPermissions permissions, TargetTenants tenants) {
		this.tenant = tenant;
		this.cap = cap;
		this.permissions = permissions;
		this.tenants = tenants;
		// Everything a view depends on that varies between callers of one scenario.
		this.key = ((tenant != null) ? "tenant=" + tenant : "no-tenant") + ";cap=" + cap;
	}

	@Override
	public String key() {
		return this.key;
	}

	@Override
	public boolean admitsTarget(String target) {
		return this.tenants.admits(target, this.tenant)
				&& this.permissions.target(target).level() != PermissionLevel.NONE;
	}

	@Override
	public boolean admitsTool(String target, ObjectNode tool) {
		return this.permissions.target(target).admits(tool, this.cap);
	}

	@Override
	public boolean admitsRegion(String target, String region) {
		return this.tenants.admitsRegion(this.tenant, region);
	}

	/** Whether a pass-through route may relay this caller to a target, unfiltered. */
	boolean admitsWholeTarget(String target) {
		return admitsTarget(target) && this.permissions.target(target).level().atMost(this.cap) == PermissionLevel.FULL;
	}

	@Override
	public String toString() {
		return "CallerView[" + this.key + "]";
	}

}
