package dev.atrium.policy.tenant;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which tenants each target belongs to, and where each tenant's data may go. A target
 * assigned to no tenant is shared by all; one assigned to some is reached only by callers
 * of those tenants, never by a caller without a tenant. A tenant pinned to regions (data
 * residency) reaches a regional target only through its endpoints in those regions, and
 * does not see a regional target with none there.
 */
public final class TargetTenants {

	private final Map<String, Set<String>> tenants;

	private final Map<String, Set<String>> targetRegions;

	private final Map<String, Set<String>> residency;

	/** Tenants without residency rules. */
	public TargetTenants(Map<String, ? extends Collection<String>> tenants) {
		this(tenants, Map.of(), Map.of());
	}

	/**
	 * @param tenants the tenants of each target; none for a shared target
	 * @param targetRegions the regions of each regional target's endpoints
	 * @param residency the only regions each pinned tenant's calls may go to
	 */
	public TargetTenants(Map<String, ? extends Collection<String>> tenants,
			Map<String, ? extends Collection<String>> targetRegions,
			Map<String, ? extends Collection<String>> residency) {
		this.tenants = copyNonEmpty(tenants);
		this.targetRegions = copyNonEmpty(targetRegions);
		this.residency = copyNonEmpty(residency);
	}

	public boolean admits(String target, String tenant) {
		Set<String> owners = this.tenants.get(target);
		if (owners != null && (tenant == null || !owners.contains(tenant))) {
			return false;
		}
		Set<String> regions = this.targetRegions.get(target);
		return regions == null || regions.stream().anyMatch((region) -> admitsRegion(tenant, region));
	}

	/** Whether a tenant's calls may go to an endpoint in a region. */
	public boolean admitsRegion(String tenant, String region) {
		Set<String> allowed = (tenant != null) ? this.residency.get(tenant) : null;
		return allowed == null || allowed.contains(region);
	}

	private static Map<String, Set<String>> copyNonEmpty(Map<String, ? extends Collection<String>> source) {
		Map<String, Set<String>> copy = new HashMap<>();
		source.forEach((key, values) -> {
			if (!values.isEmpty()) {
				copy.put(key, Set.copyOf(values));
			}
		});
		return Map.copyOf(copy);
	}

	@Override
	public String toString() {
		return "TargetTenants" + this.tenants + ((this.residency.isEmpty()) ? "" : " residency" + this.residency);
	}

}
