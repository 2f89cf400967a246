package dev.atrium.gateway.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.policy.access.ScenarioAccess;
import dev.atrium.policy.auth.ScenarioAuthRegistry;
import dev.atrium.policy.auth.ScopeAccess;
import dev.atrium.policy.caller.CallerIdentities;
import dev.atrium.policy.permission.OperationRules;
import dev.atrium.policy.permission.ScenarioPermissions;
import dev.atrium.policy.permission.TargetPermission;
import dev.atrium.policy.ratelimit.Rate;
import dev.atrium.policy.ratelimit.RateLimitPolicy;
import dev.atrium.policy.ratelimit.RateLimiter;
import dev.atrium.policy.ratelimit.RateTier;
import dev.atrium.policy.ratelimit.RateTiers;
import dev.atrium.policy.ratelimit.ScenarioRateLimit;
import dev.atrium.policy.tenant.TargetTenants;
import dev.atrium.policy.tenant.TenantClaims;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** Every scenario's policies, built once from the configuration. */
@Component
public class ScenarioAccesses {

	private final Map<String, ScenarioAccess> accesses;

	public ScenarioAccesses(AtriumProperties properties, ScenarioAuthRegistry auth, RateTiers tiers,
			RateLimiter limiter, MeterRegistry registry) {
		CallerIdentities identities = new CallerIdentities(new TenantClaims(properties.tenancy().claims()));
		Map<String, List<String>> targetTenants = new LinkedHashMap<>();
		Map<String, List<String>> targetRegions = new LinkedHashMap<>();
		properties.targets().forEach((name, target) -> {
			targetTenants.put(name, target.tenants());
			targetRegions.put(name, List.copyOf(target.regions().keySet()));
		});
		TargetTenants tenants = new TargetTenants(targetTenants, targetRegions, properties.tenancy().residency());
		ScenarioAccess.RefusalObserver refusals = (scenario, reason) -> Counter.builder("atrium.policy.refusals")
			.description("MCP requests refused by a scenario's policies, by reason")
			.tag("scenario", scenario)
			.tag("reason", reason)
			.register(registry)
			.increment();
		Map<String, ScenarioAccess> built = new LinkedHashMap<>();
		properties.scenarios().forEach((name, scenario) -> {
			ScopeAccess scopes = auth.scenarios()
				.stream()
				.filter((candidate) -> candidate.name().equals(name) && !candidate.anonymous())
				.findFirst()
				.map(ScopeAccess::new)
				.orElse(null);
			built.put(name,
					new ScenarioAccess(name, identities,
							new OperationRules(scenario.operations().allowed(), scenario.operations().denied()),
							scenario.requireTenant(), scopes,
							new RateLimitPolicy(rateLimit(name, scenario.rateLimit(), tiers), limiter),
							permissions(scenario.permissions()), tenants, refusals));
		});
		this.accesses = Map.copyOf(built);
	}

	public Optional<ScenarioAccess> of(String scenario) {
		return Optional.ofNullable(this.accesses.get(scenario));
	}

	private static ScenarioRateLimit rateLimit(String scenario, AtriumProperties.ScenarioRateLimit config,
			RateTiers tiers) {
		Map<String, RateTier> clients = new LinkedHashMap<>();
		config.clients().forEach((client, tier) -> clients.put(client, tier(tiers, tier)));
		Map<String, RateTier> tokenTiers = new LinkedHashMap<>();
		config.tokenTiers().forEach((value, tier) -> tokenTiers.put(value, tier(tiers, tier)));
		Map<String, RateTier> tools = new LinkedHashMap<>();
		config.tools()
			.forEach((tool, tierOrRate) -> tools.put(tool, tiers.find(tierOrRate)
				.orElseGet(() -> new RateTier("tool " + tool, List.of(Rate.parse(tierOrRate))))));
		return new ScenarioRateLimit(scenario, (config.tier() != null) ? tier(tiers, config.tier()) : null,
				config.key(), clients, tokenTiers, tools);
	}

	private static RateTier tier(RateTiers tiers, String name) {
		// The configuration was validated: every tier named exists.
		return tiers.find(name).orElseThrow(() -> new IllegalStateException("unknown rate tier " + name));
	}

	private static ScenarioPermissions permissions(AtriumProperties.Permissions config) {
		Map<String, TargetPermission> targets = new LinkedHashMap<>();
		config.targets()
			.forEach((target, permission) -> targets.put(target,
					new TargetPermission(permission.level(), Set.copyOf(permission.tools()))));
		return new ScenarioPermissions(config.defaultLevel(), targets, config.scopeLevels());
	}

}
