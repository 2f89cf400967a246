package dev.atrium.mcp.catalog;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.atrium.mcp.client.StreamableHttpClient;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
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

	private final Map<String, StreamableHttpClient> clients;

	private final Map<String, TargetHealth> health = new ConcurrentHashMap<>();

	private final CatalogFetcher fetcher;

	private final Duration ttl;

	private final Duration timeout;

	private final Clock clock;

	private final AtomicLong generation = new AtomicLong();

	private final Disposable.Composite refreshing = Disposables.composite();

	private final Scheduler scheduler = Schedulers.newSingle("atrium-catalog-refresh", true);

	private final Sinks.Empty<Void> checkedOnce = Sinks.empty();

	public TargetCatalogs(Map<String, StreamableHttpClient> clients, CatalogFetcher fetcher, Duration ttl,
			Duration timeout, Clock clock) {
		this.clients = new LinkedHashMap<>(clients);
		this.fetcher = fetcher;
		this.ttl = ttl;
		this.timeout = timeout;
		this.clock = clock;
		this.clients.keySet().forEach((target) -> this.health.put(target, TargetHealth.unknown(target)));
	}

	/** Starts the background refresh of every target. */
	public void start() {
		this.clients.keySet()
			.forEach((target) -> this.refreshing.add(Flux.interval(Duration.ZERO, this.ttl, this.scheduler)
				.onBackpressureDrop()
				.concatMap((tick) -> refresh(target))
				.subscribe()));
	}

	/** Reads one target's catalog now; never fails, the outcome is in the health. */
	public Mono<TargetHealth> refresh(String target) {
		StreamableHttpClient client = this.clients.get(target);
		return this.fetcher.fetch(client)
			.timeout(this.timeout)
			.map((catalog) -> new TargetHealth(target, catalog, null, this.clock.instant()))
			.onErrorResume((ex) -> Mono
				.just(new TargetHealth(target, this.health.get(target).catalog(), reason(ex), this.clock.instant())))
			.doOnNext(this::record);
	}

	/** Refreshes every target once, in parallel; for start-up and tests. */
	public Mono<Void> refreshAll() {
		return Flux.fromIterable(this.clients.keySet()).flatMap(this::refresh).then();
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

	public StreamableHttpClient client(String target) {
		return this.clients.get(target);
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
