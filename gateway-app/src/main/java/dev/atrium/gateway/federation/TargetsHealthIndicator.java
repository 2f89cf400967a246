package dev.atrium.gateway.federation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.mcp.catalog.TargetHealth;
import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.region.TargetLocation;
import dev.atrium.mcp.region.TargetLocations;
import dev.atrium.policy.resilience.ResilientTargetCalls;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Reports each target's state at {@code /actuator/health/targets}. A failing target does
 * not make Atrium unhealthy (the other targets are still served), so the status is UP
 * with the failure in the details; it is DOWN before the federation started, and when
 * every target is down: then this replica can serve nothing, which the {@code deep}
 * health group ({@code /health-deep}) tells a Route 53 health check. Each target's
 * circuit breaker state is shown too: OPEN while its calls are refused; a regional target
 * shows each region's, in the order calls try them.
 */
@Component("targets")
public class TargetsHealthIndicator implements HealthIndicator {

	private final AtriumFederation federation;

	private final ResilientTargetCalls calls;

	public TargetsHealthIndicator(AtriumFederation federation, ResilientTargetCalls calls) {
		this.federation = federation;
		this.calls = calls;
	}

	@Override
	public Health health() {
		return this.federation.catalogs().map((catalogs) -> {
			Map<String, Object> details = new LinkedHashMap<>();
			catalogs.health().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((entry) -> {
				TargetHealth state = entry.getValue();
				Map<String, Object> target = new LinkedHashMap<>();
				target.put("status", state.up() ? "UP" : "DOWN");
				TargetLocations locations = catalogs.locations(entry.getKey());
				if (locations != null && locations.regional()) {
					target.put("regions", regions(locations));
				}
				else {
					target.put("circuitBreaker", this.calls.breakerState(entry.getKey()).name());
				}
				if (state.failure() != null) {
					target.put("reason", state.failure());
				}
				if (state.catalog() != null) {
					target.put("tools", state.catalog().tools().size());
					target.put("prompts", state.catalog().prompts().size());
					target.put("resources", state.catalog().resources().size());
				}
				if (state.checkedAt() != null) {
					target.put("checkedAt", state.checkedAt().toString());
				}
				details.put(entry.getKey(), target);
			});
			return (allDown(catalogs.health().values()) ? Health.down() : Health.up()).withDetails(details).build();
		}).orElseGet(() -> Health.down().withDetail("reason", "the federation has not started").build());
	}

	/**
	 * Atrium can serve nothing when every target was checked and none answered; one
	 * target down leaves the others served.
	 */
	private static boolean allDown(Collection<TargetHealth> targets) {
		return !targets.isEmpty() && targets.stream().allMatch((target) -> target.checkedAt() != null && !target.up());
	}

	/**
	 * Each region in the order calls try them now: its breaker, and whether calls go
	 * there first (neither refused by its breaker nor lately slow).
	 */
	private Map<String, Object> regions(TargetLocations locations) {
		Map<String, Object> regions = new LinkedHashMap<>();
		for (TargetLocation location : this.federation.failover().order(locations, (region) -> true)) {
			Map<String, Object> region = new LinkedHashMap<>();
			region.put("priority", location.priority());
			region.put("circuitBreaker",
					this.calls.breakerState(TargetCall.endpoint(location.target(), location.region())).name());
			region.put("preferred", this.federation.failover().healthy(location));
			regions.put(location.region(), region);
		}
		return regions;
	}

}
