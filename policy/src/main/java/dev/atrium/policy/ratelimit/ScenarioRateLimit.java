package dev.atrium.policy.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.atrium.policy.caller.CallerIdentity;

/**
 * A scenario's rate limits: the tier a caller gets, whose budget it takes from, and the
 * extra limits of single tools.
 *
 * @param scenario the scenario's name, which every key starts with
 * @param tier the tier of callers no other rule names, or {@code null} for none
 * @param key whose budget a request takes from
 * @param clientTiers tiers by client id, as the seed's chatgpt_apps and claude_apps
 * @param tokenTiers tiers by the token's {@code rate_tier} claim (API keys), e.g.
 * {@code premium}
 * @param toolTiers extra limits by tool name (as clients see it), kept per caller
 */
public record ScenarioRateLimit(String scenario, RateTier tier, RateKey key, Map<String, RateTier> clientTiers,
		Map<String, RateTier> tokenTiers, Map<String, RateTier> toolTiers) {

	public ScenarioRateLimit {
		Objects.requireNonNull(scenario, "scenario");
		Objects.requireNonNull(key, "key");
		clientTiers = Map.copyOf(clientTiers);
		tokenTiers = Map.copyOf(tokenTiers);
		toolTiers = Map.copyOf(toolTiers);
	}

	public static ScenarioRateLimit none(String scenario) {
		return new ScenarioRateLimit(scenario, null, RateKey.CLIENT, Map.of(), Map.of(), Map.of());
	}

	/**
	 * The buckets one request takes from: the caller's tier, then the tool's.
	 * @param tool the tool a {@code tools/call} names, or {@code null}
	 */
	public List<RateBucket> buckets(CallerIdentity caller, String tool) {
		List<RateBucket> buckets = new ArrayList<>(2);
		String owner = this.scenario + "|" + owner(caller);
		RateTier callerTier = tierOf(caller);
		if (callerTier != null) {
			buckets.add(new RateBucket(owner, callerTier));
		}
		RateTier toolTier = (tool != null) ? this.toolTiers.get(tool) : null;
		if (toolTier != null) {
			buckets.add(new RateBucket(owner + "|tool|" + tool, toolTier));
		}
		return buckets;
	}

	private RateTier tierOf(CallerIdentity caller) {
		RateTier byClient = (caller.clientId() != null) ? this.clientTiers.get(caller.clientId()) : null;
		if (byClient != null) {
			return byClient;
		}
		RateTier byToken = (caller.rateTier() != null) ? this.tokenTiers.get(caller.rateTier()) : null;
		return (byToken != null) ? byToken : this.tier;
	}

	/**
	 * Whose budget: keys always carry the tenant, so that two tenants never share one,
	 * even through the same client application.
	 */
	private String owner(CallerIdentity caller) {
		if (caller.anonymous()) {
			return "address|" + caller.address();
		}
		String tenant = (caller.tenant() != null) ? "|tenant|" + caller.tenant() : "";
		return switch (this.key) {
			case TENANT -> (caller.tenant() != null) ? "tenant|" + caller.tenant() : "client|" + clientOf(caller);
			case CLIENT -> "client|" + clientOf(caller) + tenant;
			case SUBJECT -> "subject|" + caller.issuer() + "|" + caller.subject() + tenant;
		};
	}

	private static String clientOf(CallerIdentity caller) {
		return (caller.clientId() != null) ? caller.clientId() : caller.issuer() + "|" + caller.subject();
	}

}
