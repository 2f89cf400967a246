package dev.atrium.policy.ratelimit;

/**
 * One bucket a request takes from.
 *
 * @param key whose bucket
 * @param tier its rates
 */
public record RateBucket(String key, RateTier tier) {

}
