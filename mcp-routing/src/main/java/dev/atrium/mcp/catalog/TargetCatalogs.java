package dev.atrium.mcp.catalog;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.atrium.mcp.client.StreamableHttpClient;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.region.RegionFailover;
import dev.atrium.mcp.region.TargetLocation;
import dev.atrium.mcp.region.TargetLocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The catalogs of all targets, each refreshed in the background on start and then every
 * TTL, with a timeout. A target that fails keeps its last good catalog and is reported
 * with the reason; it never holds up the others.
 */
public final class TargetCatalogs implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TargetCatalogs.class);

	/**
	 * How long after a target's first {@code list_changed} its catalog is read again, so
	 * that the same change announced on its other sessions shares the read.
	 */
	private static final Duration CHANGE_SETTLE = Duration.ofMillis(100);

	private final Map<String, TargetLocations> locations;

	private final RegionFailover failover;

	private final Map<String, TargetHealth> health = new ConcurrentHashMap<>();

	private final CatalogFetcher fetcher;

	private final Duration ttl;

	private final Duration timeout;

	private final Clock clock;

	private final AtomicLong generation = new AtomicLong();

	private final Disposable.Composite refreshing = Disposables.composite();

	private final Scheduler scheduler = Schedulers.newSingle("atrium-catalog-refresh", true);

	private final Sinks.Empty<Void> checkedOnce = Sinks.empty();

	private final ChangeRefreshes changes = new ChangeRefreshes(this::refresh, CHANGE_SETTLE, this.scheduler);

	/**
	 * @param locations where each target is served from
	 * @param failover which of a regional target's endpoints its catalog is read from
	 * first
	 * @param timeout the longest wait for one endpoint's catalog
	 */
	public TargetCatalogs(Map<String, TargetLocations> locations, RegionFailover failover, CatalogFetcher fetcher,
			Duration ttl, Duration timeout, Clock clock) {
		this.locations = new LinkedHashMap<>(locations);
		this.failover = failover;
		this.fetcher = fetcher;
		this.ttl = ttl;
		this.timeout = timeout;
		this.clock = clock;
		this.locations.keySet().forEach((target) -> this.health.put(target, TargetHealth.unknown(target)));
	}

	/** Starts the background refresh of every target. */
	public void start() {
		this.locations.keySet()
			.forEach((target) -> this.refreshing.add(Flux.interval(Duration.ZERO, this.ttl, this.scheduler)
				.onBackpressureDrop()
				.concatMap((tick) -> refresh(target))
				.subscribe()));
	}

	/** Reads one target's catalog now; never fails, the outcome is in the health. */
	public Mono<TargetHealth> refresh(String target) {
		return fetch(this.locations.get(target))
			.map((catalog) -> new TargetHealth(target, catalog, null, this.clock.instant()))
			.onErrorResume((ex) -> Mono
				.just(new TargetHealth(target, this.health.get(target).catalog(), reason(ex), this.clock.instant())))
			.doOnNext(this::record);
	}

	/**
	 * Reads a target's catalog again after it announced a change of its lists: completes
	 * once a read that started after the call ended, one read for the announcements of
	 * the same change on many sessions.
	 */
	public Mono<Void> refreshAfterChange(String target) {
		return this.changes.after(target);
	}

	/**
	 * The catalog from the first endpoint that gives it, in failover order; the error of
	 * the last one tried when none does.
	 */
	private Mono<TargetCatalog> fetch(TargetLocations target) {
		List<TargetLocation> order = this.failover.order(target, (region) -> true);
		Mono<TargetCatalog> catalog = fetch(order.get(0).client());
		for (TargetLocation next : order.subList(1, order.size())) {
			catalog = catalog.onErrorResume((ex) -> fetch(next.client()));
		}
		return catalog;
	}

	private Mono<TargetCatalog> fetch(StreamableHttpClient client) {
		return this.fetcher.fetch(client).timeout(this.timeout);
	}

	/** Refreshes every target once, in parallel; for start-up and tests. */
	public Mono<Void> refreshAll() {
		return Flux.fromIterable(this.locations.keySet()).flatMap(this::refresh).then();
	}

	/** Completes once every target has been checked at least once, up or not. */
	public Mono<Void> checkedOnce() {
		return this.checkedOnce.asMono();
	}

	public Map<String, TargetHealth> health() {
		return Map.copyOf(this.health);
	}

	public TargetHealth health(String target) {
		return this.health.get(target);
	}

	/** Increases whenever a catalog's content or a target's state changes. */
	public long generation() {
		return this.generation.get();
	}

	/** Where a target is served from; {@code null} for a target not federated. */
	public TargetLocations locations(String target) {
		return this.locations.get(target);
	}

	private void record(TargetHealth next) {
		TargetHealth previous = this.health.put(next.target(), next);
		if (this.health.values().stream().allMatch((state) -> state.checkedAt() != null)) {
			this.checkedOnce.tryEmitEmpty();
		}
		boolean stateChanged = previous == null || previous.checkedAt() == null || previous.up() != next.up()
				|| (previous.failure() != null && !previous.failure().equals(next.failure()));
		boolean contentChanged = previous == null || previous.catalog() == null
				|| !previous.catalog().sameContentAs(next.catalog());
		if (stateChanged || contentChanged) {
			this.generation.incrementAndGet();
			if (next.up()) {
				TargetCatalog catalog = next.catalog();
				logger.info("Target '{}' is up: {} tools, {} prompts, {} resources, {} resource templates",
						next.target(), catalog.tools().size(), catalog.prompts().size(), catalog.resources().size(),
						catalog.resourceTemplates().size());
			}
			else {
				logger.warn("Target '{}' is unavailable: {}", next.target(), next.failure());
			}
		}
	}

	private String reason(Throwable ex) {
		if (ex instanceof java.util.concurrent.TimeoutException) {
			return "catalog refresh took longer than " + this.timeout.toMillis() + " ms";
		}
		if (ex instanceof JsonRpcException rpc) {
			return rpc.error().message();
		}
		return ex.toString();
	}

	@Override
	public void close() {
		this.refreshing.dispose();
		this.scheduler.dispose();
	}

}
