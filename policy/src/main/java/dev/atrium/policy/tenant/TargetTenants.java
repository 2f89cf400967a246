package dev.atrium.policy.tenant;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which tenants each target belongs to. A target assigned to no tenant is shared by all;
 * one assigned to some is reached only by callers of those tenants, never by a caller
 * without a tenant.
 */
public final class TargetTenants {

	private final Map<String, Set<String>> tenants;

	public TargetTenants(Map<String, ? extends java.util.Collection<String>> tenants) {
		Map<String, Set<String>> copy = new HashMap<>();
		tenants.forEach((target, names) -> {
			if (!names.isEmpty()) {
				copy.put(target, Set.copyOf(names));
			}
		});
		this.tenants = Map.copyOf(copy);
	}

	public boolean admits(String target, String tenant) {
		Set<String> owners = this.tenants.get(target);
		return owners == null || (tenant != null && owners.contains(tenant));
	}

	@Override
	public String toString() {
		return "TargetTenants" + this.tenants;
	}

}
