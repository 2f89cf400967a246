package dev.atrium.benchmarks.harness;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import dev.atrium.benchmarks.harness.CatalogRun.Result;
import dev.atrium.benchmarks.harness.ComparisonRun.SubjectResult;
import dev.atrium.benchmarks.harness.HotPathsRun.Score;
import dev.atrium.benchmarks.harness.MemoryRun.Step;
import dev.atrium.benchmarks.load.LoadGenerator.OpenLoopResult;
import dev.atrium.benchmarks.load.LoadGenerator.WarmUp;

/**
 * Everything one run measured, and its text: Markdown tables that can go into
 * docs/benchmarks.md as they are.
 *
 * @param environment what ran where (machine, JDK, nginx, flags, settings)
 * @param verified each subject's answer to the checking {@code tools/call}
 * @param comparison the four subjects
 * @param rate the fixed rate of the latency runs
 * @param anonymous Atrium's anonymous scenario on the same upstream
 * @param catalogWarmUp the warm-up of the catalog run's Atrium
 * @param catalogs the catalog run
 * @param memory the memory run
 * @param hotPaths the JMH scores, empty when JMH did not run
 */
public record BenchReport(Map<String, String> environment, Map<String, String> verified, List<SubjectResult> comparison,
		int rate, SubjectResult anonymous, WarmUp catalogWarmUp, List<Result> catalogs, List<Step> memory,
		List<Score> hotPaths) {

	static final String ATRIUM = "Atrium";

	static final String DIRECT = "direct";

	static final String NGINX = "nginx";

	static final String PLAIN = "plain gateway";

	private boolean has(String name) {
		return this.comparison.stream().anyMatch((result) -> result.name().equals(name));
	}

	public SubjectResult subject(String name) {
		return this.comparison.stream()
			.filter((result) -> result.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no subject " + name));
	}

	public String render() {
		StringBuilder out = new StringBuilder();
		out.append("# Atrium benchmark report\n\n");
		this.environment.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
		out.append("- on Atrium's path: ").append(String.join("; ", AtriumConfig.ON_THE_PATH)).append('\n');
		out.append("- not on the path: ").append(String.join("; ", AtriumConfig.NOT_ON_THE_PATH)).append('\n');
		out.append("\n## Correctness: tools/call echo through each path\n\n");
		this.verified.forEach((name, text) -> out.append("- ").append(name).append(": `").append(text).append("`\n"));
		comparison(out);
		ratios(out);
		authentication(out);
		catalogs(out);
		memory(out);
		hotPaths(out);
		return out.toString();
	}

	private void comparison(StringBuilder out) {
		out.append("\n## Same tools/call, four paths\n\n");
		out.append("Throughput: closed loop at saturation. Latency: open loop at ")
			.append(this.rate)
			.append(" requests/s, measured from the intended send time (no coordinated omission).\n\n");
		out.append("| path | warm-up | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | "
				+ "requests ok / failed / dropped |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (SubjectResult result : this.comparison) {
			row(out, result.name(), result);
		}
	}

	private static void row(StringBuilder out, String name, SubjectResult result) {
		OpenLoopResult latency = result.latency();
		out.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d / %d / %d |%n", name,
				warmUp(result.warmUp()), result.throughput().throughput(), latency.percentileMillis(50),
				latency.percentileMillis(90), latency.percentileMillis(99), latency.maxMillis(), latency.ok(),
				latency.failed() + latency.unfinished(), latency.dropped()));
	}

	static String warmUp(WarmUp warmUp) {
		String windows = warmUp.windows()
			.stream()
			.map((window) -> String.format(Locale.ROOT, "%.0f", window.throughput()))
			.collect(Collectors.joining(", "));
		return String.format(Locale.ROOT, "%.0f s, %s (%s)", seconds(warmUp.took()),
				warmUp.settled() ? "settled" : "cap reached, not settled", windows);
	}

	private void ratios(StringBuilder out) {
		if (!has(ATRIUM) || this.comparison.size() < 2) {
			return;
		}
		SubjectResult atrium = subject(ATRIUM);
		out.append("\n## Atrium relative to the others (same run)\n\n");
		out.append("| ratio | throughput | p50 | p99 |\n|---|---|---|---|\n");
		for (String other : List.of(DIRECT, NGINX, PLAIN).stream().filter(this::has).toList()) {
			SubjectResult base = subject(other);
			out.append(String.format(Locale.ROOT, "| Atrium / %s | %.2f | %.2f | %.2f |%n", other,
					atrium.throughput().throughput() / base.throughput().throughput(),
					atrium.latency().percentileMillis(50) / base.latency().percentileMillis(50),
					atrium.latency().percentileMillis(99) / base.latency().percentileMillis(99)));
		}
		if (!has(DIRECT)) {
			return;
		}
		OpenLoopResult direct = subject(DIRECT).latency();
		out.append(String.format(Locale.ROOT,
				"%nAtrium's hop (Atrium - direct): p50 %.2f ms, p99 %.2f ms, against the seed's gateway-hop budget "
						+ "of 50 ms.%n",
				atrium.latency().percentileMillis(50) - direct.percentileMillis(50),
				atrium.latency().percentileMillis(99) - direct.percentileMillis(99)));
	}

	private void authentication(StringBuilder out) {
		if (this.anonymous == null || !has(ATRIUM)) {
			return;
		}
		SubjectResult jwt = subject(ATRIUM);
		out.append("\n## Cost of token validation in Atrium (same Atrium, same upstream)\n\n");
		out.append("| scenario | warm-up | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | "
				+ "requests ok / failed / dropped |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		row(out, "/bench (JWT, RS256)", jwt);
		row(out, "/open (anonymous)", this.anonymous);
		out.append(String.format(Locale.ROOT, "%nThroughput with JWT / anonymous: %.2f; p50 difference: %.2f ms.%n",
				jwt.throughput().throughput() / this.anonymous.throughput().throughput(),
				jwt.latency().percentileMillis(50) - this.anonymous.latency().percentileMillis(50)));
	}

	private void catalogs(StringBuilder out) {
		if (this.catalogs.isEmpty()) {
			return;
		}
		out.append("\n## Catalog size (targets of 100 tools each, catalog TTL ")
			.append(CatalogRun.CATALOG_TTL)
			.append(")\n\n");
		if (this.catalogWarmUp != null) {
			out.append("Warm-up of this Atrium: ").append(warmUp(this.catalogWarmUp)).append(".\n");
		}
		out.append("tools/list (first page of 100) and tools/call at ")
			.append(CatalogRun.rate())
			.append(" requests/s open loop; cold = the first tools/list after every target's catalog changed.\n\n");
		out.append(
				"| targets | tools | initialize (ms, median of 5) | session id (chars) | tools/list p50 / p99 (ms) | "
						+ "tools/call p50 / p99 (ms) | all pages (ms) | cold tools/list (ms) |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (Result result : this.catalogs) {
			out.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %d | %.2f / %.2f | %.2f / %.2f | %.1f | %s |%n",
					result.targets(), result.tools(), result.initializeMillis(), result.sessionIdLength(),
					result.list().percentileMillis(50), result.list().percentileMillis(99),
					result.call().percentileMillis(50), result.call().percentileMillis(99), result.fullListMillis(),
					result.coldListMillis()
						.stream()
						.map((value) -> String.format(Locale.ROOT, "%.1f", value))
						.collect(Collectors.joining(", "))));
		}
	}

	private void memory(StringBuilder out) {
		if (this.memory.isEmpty()) {
			return;
		}
		out.append("\n## Atrium's memory per client (after a full GC; RSS from /proc, heap from Micrometer)\n\n");
		out.append("| what | asked | held | took (s) | RSS before → during (MB) | heap before → during (MB) | "
				+ "RSS per item (KB) | heap per item (KB) |\n");
		out.append("|---|---|---|---|---|---|---|---|\n");
		for (Step step : this.memory) {
			out.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.0f → %.0f | %.1f → %.1f | %.1f | %.1f |%n",
					step.kind(), step.requested(), step.held(), seconds(step.took()), step.before().rss() / 1e6,
					step.during().rss() / 1e6, step.before().heap() / 1e6, step.during().heap() / 1e6,
					step.rssPerItemKb(), step.heapPerItemKb()));
		}
	}

	private void hotPaths(StringBuilder out) {
		if (this.hotPaths.isEmpty()) {
			return;
		}
		out.append("\n## Hot paths (JMH, 1 fork, " + HotPathsRun.WARMUP_ITERATIONS + " × 1 s warm-up, "
				+ HotPathsRun.MEASUREMENT_ITERATIONS + " × 1 s measurement)\n\n");
		out.append("| benchmark | score | error (99.9%) | unit |\n|---|---|---|---|\n");
		for (Score score : this.hotPaths) {
			out.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %s |%n", score.name(), score.score(),
					score.error(), score.unit()));
		}
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
