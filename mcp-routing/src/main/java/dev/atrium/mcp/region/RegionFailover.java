package dev.atrium.mcp.region;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import reactor.core.publisher.Mono;

/**
 * Which of a target's regions a call goes to first. Regions the caller's data may go to
 * are tried in priority order, but a region whose circuit breaker is open, or whose calls
 * have lately begun answering slower than the target's threshold, is put after the
 * others; it comes back first as soon as its breaker lets calls through again, or once a
 * call sent there after the re-check interval was fast. A region the caller may not use
 * is never tried, not even when every other one fails.
 */
public final class RegionFailover {

	/** Weight of the newest sample in the moving average of a region's latency. */
	private static final double NEWEST_WEIGHT = 0.3;

	private final Availability availability;

	private final Function<String, FailoverSettings> settings;

	private final Clock clock;

	private final Map<String, Latency> latencies = new ConcurrentHashMap<>();

	/**
	 * @param availability whether a region's breaker lets calls through
	 * @param settings the failover settings of a target, by its name
	 */
	public RegionFailover(Availability availability, Function<String, FailoverSettings> settings, Clock clock) {
		this.availability = availability;
		this.settings = settings;
		this.clock = clock;
	}

	/** Priority order only, for targets that are never judged. */
	public static RegionFailover byPriority(Clock clock) {
		return new RegionFailover(Availability.ALWAYS, (target) -> FailoverSettings.DEFAULTS, clock);
	}

	/**
	 * The locations a call may go to, in the order to try them.
	 * @param admitted whether the caller's data may go to a region
	 */
	public List<TargetLocation> order(TargetLocations locations, Predicate<String> admitted) {
		if (!locations.regional()) {
			return locations.all();
		}
		List<TargetLocation> healthy = new ArrayList<>();
		List<TargetLocation> degraded = new ArrayList<>();
		for (TargetLocation location : locations.all()) {
			if (admitted.test(location.region())) {
				(healthy(location) ? healthy : degraded).add(location);
			}
		}
		healthy.addAll(degraded);
		return healthy;
	}

	/** Times a call until its answer begins, as a sample of its region's latency. */
	public <T> Mono<T> timed(TargetLocation location, Mono<T> call) {
		if (location.region() == null) {
			return call;
		}
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return call.doOnNext((answer) -> recordLatency(location, Duration.ofNanos(System.nanoTime() - started)));
		});
	}

	/** Adds a sample of how long a call to a region took to begin its answer. */
	public void recordLatency(TargetLocation location, Duration latency) {
		Instant now = this.clock.instant();
		Duration recheck = this.settings.apply(location.target()).recheckAfter();
		this.latencies.compute(key(location), (key, previous) -> {
			double millis = latency.toNanos() / 1_000_000.0;
			// An old average says nothing about the region now.
			if (previous == null || previous.stale(now, recheck)) {
				return new Latency(millis, now);
			}
			return new Latency(NEWEST_WEIGHT * millis + (1 - NEWEST_WEIGHT) * previous.averageMillis(), now);
		});
	}

	/** Whether a region is neither refused by its breaker nor lately slow. */
	public boolean healthy(TargetLocation location) {
		return this.availability.available(location.target(), location.region()) && !slow(location);
	}

	private boolean slow(TargetLocation location) {
		Latency latency = this.latencies.get(key(location));
		if (latency == null) {
			return false;
		}
		FailoverSettings settings = this.settings.apply(location.target());
		return !latency.stale(this.clock.instant(), settings.recheckAfter())
				&& latency.averageMillis() > settings.latencyThreshold().toNanos() / 1_000_000.0;
	}

	private static String key(TargetLocation location) {
		return location.target() + "@" + location.region();
	}

	/** Whether a target's endpoint in a region may be called now. */
	@FunctionalInterface
	public interface Availability {

		/** Every region may always be called. */
		Availability ALWAYS = (target, region) -> true;

		boolean available(String target, String region);

	}

	private record Latency(double averageMillis, Instant at) {

		boolean stale(Instant now, Duration recheck) {
			return !now.isBefore(this.at.plus(recheck));
		}

	}

}
