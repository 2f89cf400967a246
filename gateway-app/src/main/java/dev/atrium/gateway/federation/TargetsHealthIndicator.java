package dev.atrium.gateway.federation;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.mcp.catalog.TargetHealth;
import dev.atrium.policy.resilience.ResilientTargetCalls;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Reports each target's state at {@code /actuator/health/targets}. A failing target does
 * not make Atrium unhealthy (the other targets are still served), so the status is UP
 * with the failure in the details; it is DOWN only before the federation started. Each
 * target's circuit breaker state is shown too: OPEN while its calls are refused.
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
				target.put("circuitBreaker", this.calls.breakerState(entry.getKey()).name());
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
			return Health.up().withDetails(details).build();
		}).orElseGet(() -> Health.down().withDetail("reason", "the federation has not started").build());
	}

}
