package dev.atrium.policy.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rate tiers a deployment knows: the seed's, plus and over those configured.
 */
public final class RateTiers {

	private final Map<String, RateTier> tiers;

	private RateTiers(Map<String, RateTier> tiers) {
		this.tiers = Map.copyOf(tiers);
	}

	/**
	 * The seed's tiers: {@code developer} 1000/minute (internal), {@code consumer}
	 * 10000/hour, {@code enterprise} 10000/day, {@code third-party} 1000/hour with bursts
	 * of 50/minute, {@code third-party-premium} 5000/hour, and the per-client tiers
	 * {@code chatgpt-apps} 1000/hour, {@code claude-apps} 1500/hour,
	 * {@code custom-agents} 500/hour.
	 */
	public static RateTiers seed() {
		Map<String, RateTier> tiers = new LinkedHashMap<>();
		put(tiers, RateTier.of("developer", "1000/minute"));
		put(tiers, RateTier.of("consumer", "10000/hour"));
		put(tiers, RateTier.of("enterprise", "10000/day"));
		put(tiers, RateTier.of("third-party", "1000/hour", "50/minute"));
		put(tiers, RateTier.of("third-party-premium", "5000/hour"));
		put(tiers, RateTier.of("chatgpt-apps", "1000/hour"));
		put(tiers, RateTier.of("claude-apps", "1500/hour"));
		put(tiers, RateTier.of("custom-agents", "500/hour"));
		return new RateTiers(tiers);
	}

	/** These tiers, with those given added or replacing those of the same name. */
	public RateTiers with(Map<String, RateTier> overrides) {
		Map<String, RateTier> merged = new LinkedHashMap<>(this.tiers);
		merged.putAll(overrides);
		return new RateTiers(merged);
	}

	public Optional<RateTier> find(String name) {
		return Optional.ofNullable(this.tiers.get(name));
	}

	public Map<String, RateTier> all() {
		return this.tiers;
	}

	private static void put(Map<String, RateTier> tiers, RateTier tier) {
		tiers.put(tier.name(), tier);
	}

}
