package dev.atrium.benchmarks.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.benchmarks.load.LoadGenerator;
import dev.atrium.benchmarks.load.LoadGenerator.OpenLoopResult;
import dev.atrium.benchmarks.load.LoadGenerator.WarmUp;
import dev.atrium.benchmarks.load.LoadGenerator.Window;
import dev.atrium.benchmarks.load.McpLoadClient;

/**
 * The same {@code tools/call} against every subject in one run: each is warmed until it
 * settles and its saturation throughput measured; then every subject gets the same fixed
 * rate (half the slowest one's throughput unless set) and its latencies are taken open
 * loop.
 */
final class ComparisonRun {

	private final BenchSettings settings;

	ComparisonRun(BenchSettings settings) {
		this.settings = settings;
	}

	/**
	 * Warms each subject in turn and measures its throughput at saturation.
	 * @return each subject's warm-up and throughput, in order
	 */
	Map<Subject, Saturation> saturateAll(List<Subject> subjects) {
		Map<Subject, Saturation> saturation = new LinkedHashMap<>();
		for (Subject subject : subjects) {
			saturation.put(subject, saturate(subject, this.settings.warmupCap(subject.name())));
			log("%s: warm after %.0f s (%s), %.0f requests/s with %d connections", subject.name(),
					saturation.get(subject).warmUp().took().toMillis() / 1000.0,
					saturation.get(subject).warmUp().settled() ? "settled" : "cap reached",
					saturation.get(subject).throughput().throughput(), this.settings.connections());
		}
		return saturation;
	}

	/** Each saturated subject's latencies at the same fixed rate. */
	List<SubjectResult> latencies(Map<Subject, Saturation> saturation, int rate) {
		List<SubjectResult> results = new ArrayList<>();
		saturation.forEach((subject, saturated) -> {
			OpenLoopResult latency = latency(subject, rate);
			log("%s: %d requests/s open loop: p50 %.2f ms, p99 %.2f ms, max %.2f ms", subject.name(), rate,
					latency.percentileMillis(50), latency.percentileMillis(99), latency.maxMillis());
			results.add(new SubjectResult(subject.name(), saturated.warmUp(), saturated.throughput(), latency));
		});
		return results;
	}

	Saturation saturate(Subject subject, Duration warmupCap) {
		try (McpLoadClient client = subject.echoClient(this.settings.connections())) {
			WarmUp warmUp = LoadGenerator.warmUp(client::send, this.settings.connections(), this.settings.window(),
					warmupCap, this.settings.tolerance());
			Window throughput = LoadGenerator.closedLoop(client::send, this.settings.connections(),
					this.settings.throughputTime());
			return new Saturation(warmUp, throughput);
		}
	}

	OpenLoopResult latency(Subject subject, int rate) {
		try (McpLoadClient client = subject.echoClient(this.settings.openLoopConnections())) {
			return LoadGenerator.openLoop(client::send, rate, this.settings.latencyTime(), 10_000);
		}
	}

	int rate(Iterable<Saturation> saturations) {
		if (this.settings.rate() > 0) {
			return this.settings.rate();
		}
		double slowest = Double.MAX_VALUE;
		for (Saturation saturation : saturations) {
			slowest = Math.min(slowest, saturation.throughput().throughput());
		}
		// Half the slowest subject's capacity, in tens: every subject has headroom.
		return Math.max(10, (int) (slowest / 2 / 10) * 10);
	}

	static void log(String format, Object... args) {
		System.out.printf("[bench] " + format + "%n", args);
		System.out.flush();
	}

	record Saturation(WarmUp warmUp, Window throughput) {

	}

	/** Everything measured of one subject. */
	record SubjectResult(String name, WarmUp warmUp, Window throughput, OpenLoopResult latency) {

	}

}
