package dev.atrium.policy.ratelimit;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A named set of rates that all hold at once, e.g. the seed's third-party tier: 1000 an
 * hour with bursts of at most 50 a minute.
 *
 * @param name the tier's name, e.g. {@code third-party}
 * @param rates the rates; the first is the one reported as the limit
 */
public record RateTier(String name, List<Rate> rates) {

	public RateTier {
		Objects.requireNonNull(name, "name");
		rates = List.copyOf(rates);
		if (rates.isEmpty()) {
			throw new IllegalArgumentException("tier '" + name + "' has no rate");
		}
	}

	public static RateTier of(String name, String... rates) {
		return new RateTier(name, List.of(rates).stream().map(Rate::parse).toList());
	}

	/** The rate reported in {@code X-Rate-Limit-Limit}. */
	public Rate primary() {
		return this.rates.get(0);
	}

	/** The longest period: how long an untouched bucket must be kept. */
	public java.time.Duration longestPeriod() {
		return this.rates.stream().map(Rate::period).max(Comparator.naturalOrder()).orElseThrow();
	}

	@Override
	public String toString() {
		return this.name + this.rates;
	}

}
