package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.atrium.benchmarks.load.LoadGenerator;
import dev.atrium.benchmarks.load.LoadGenerator.OpenLoopResult;
import dev.atrium.benchmarks.load.LoadGenerator.WarmUp;
import dev.atrium.benchmarks.load.McpEndpoint;
import dev.atrium.benchmarks.load.McpLoadClient;
import dev.atrium.benchmarks.load.McpMessages;
import tools.jackson.databind.JsonNode;

/**
 * How Atrium's cost grows with its catalog: scenarios over 1, 10 and 100 targets of 100
 * tools each. For each: {@code initialize} (which opens a session with every target),
 * {@code tools/list} (first page) and {@code tools/call} at a low fixed rate from the
 * cached catalog, the time to page through the whole list, and {@code tools/list} right
 * after every target's catalog changed (the merged catalog is rebuilt on that request;
 * the targets' catalogs themselves are read in the background every
 * {@code atrium.federation.catalog-ttl}).
 */
final class CatalogRun {

	/**
	 * The catalog TTL of this run's Atrium: short, so that a change shows within seconds;
	 * every TTL all targets are read again in the background, which the cached
	 * measurements see too.
	 */
	static final String CATALOG_TTL = "15s";

	private static final int RATE = 50;

	private static final HttpClient http = HttpClient.newHttpClient();

	private final BenchSettings settings;

	private final AtriumProcess atrium;

	private final String upstreamUrl;

	CatalogRun(BenchSettings settings, AtriumProcess atrium, String upstreamUrl) {
		this.settings = settings;
		this.atrium = atrium;
		this.upstreamUrl = upstreamUrl;
	}

	WarmUp warmUp() {
		McpEndpoint endpoint = endpoint(this.settings.catalogTargets().get(0)).initialize();
		try (McpLoadClient client = new McpLoadClient(endpoint,
				McpMessages.echo(AtriumConfig.bulkTarget(0) + "___echo"), McpMessages.ECHO_MESSAGE,
				this.settings.connections())) {
			return LoadGenerator.warmUp(client::send, this.settings.connections(), this.settings.window(),
					this.settings.warmupCap(), this.settings.tolerance());
		}
	}

	Result run(int targets) {
		McpEndpoint fresh = endpoint(targets);
		List<Double> initializeMillis = new ArrayList<>();
		McpEndpoint endpoint = null;
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			endpoint = fresh.initialize();
			initializeMillis.add((System.nanoTime() - start) / 1e6);
		}
		int tools = countTools(endpoint);
		OpenLoopResult list = openLoop(endpoint, McpMessages.toolsList(null), "\"tools\"");
		OpenLoopResult call = openLoop(endpoint, McpMessages.echo(AtriumConfig.bulkTarget(0) + "___echo"),
				McpMessages.ECHO_MESSAGE);
		long start = System.nanoTime();
		countTools(endpoint);
		double fullListMillis = (System.nanoTime() - start) / 1e6;
		List<Double> cold = new ArrayList<>();
		int rounds = this.settings.mode().equals("full") ? 2 : 1;
		for (int i = 0; i < rounds; i++) {
			cold.add(coldList(endpoint, targets));
		}
		ComparisonRun.log("%d targets, %d tools: initialize %.1f ms, tools/list p50 %.2f ms, cold %s ms", targets,
				tools, median(initializeMillis), list.percentileMillis(50), cold);
		return new Result(targets, tools, median(initializeMillis), endpoint.sessionId().length(), list, call,
				fullListMillis, cold);
	}

	private McpEndpoint endpoint(int targets) {
		return new McpEndpoint("cat" + targets, this.atrium.mcpUri("/cat" + targets), null, null);
	}

	private OpenLoopResult openLoop(McpEndpoint endpoint, String body, String expected) {
		try (McpLoadClient client = new McpLoadClient(endpoint, body, expected, this.settings.openLoopConnections())) {
			return LoadGenerator.openLoop(client::send, RATE, this.settings.catalogLatencyTime(), 10_000);
		}
	}

	/** Pages through the whole tool list; returns how many tools there are. */
	private static int countTools(McpEndpoint endpoint) {
		int tools = 0;
		String cursor = null;
		do {
			JsonNode result = endpoint.request(McpMessages.toolsList(cursor)).path("result");
			tools += result.path("tools").size();
			cursor = result.path("nextCursor").asString(null);
		}
		while (cursor != null && !cursor.isEmpty());
		return tools;
	}

	/**
	 * Changes every bulk target's catalog, waits until Atrium has read all of this
	 * scenario's targets again, and times the first {@code tools/list} after that.
	 */
	private double coldList(McpEndpoint endpoint, int targets) {
		Instant changed = Instant.now();
		bump();
		List<String> names = IntStream.range(0, targets).mapToObj(AtriumConfig::bulkTarget).toList();
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (!this.atrium.oldestCatalogCheck(names).isAfter(changed)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Atrium did not read the changed catalogs within 60 s");
			}
			Pause.millis(100);
		}
		long start = System.nanoTime();
		endpoint.request(McpMessages.toolsList(null));
		return (System.nanoTime() - start) / 1e6;
	}

	private void bump() {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.upstreamUrl + "/admin/bump"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build();
			http.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException ex) {
			throw new IllegalStateException("the upstream did not take /admin/bump", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	static int rate() {
		return RATE;
	}

	/** What one target count measured. */
	record Result(int targets, int tools, double initializeMillis, int sessionIdLength, OpenLoopResult list,
			OpenLoopResult call, double fullListMillis, List<Double> coldListMillis) {

	}

}
