package dev.atrium.benchmarks.harness;

import java.util.Collection;
import java.util.List;

import dev.atrium.benchmarks.jmh.JsonRpcCodecBenchmark;
import dev.atrium.benchmarks.jmh.NameMapperBenchmark;
import dev.atrium.benchmarks.jmh.SessionCodecBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** The JMH benchmarks of the hot paths, one fork each, short but past the JIT. */
final class HotPathsRun {

	static final int WARMUP_ITERATIONS = 1;

	static final int MEASUREMENT_ITERATIONS = 3;

	private HotPathsRun() {
	}

	static List<Score> run() {
		OptionsBuilder options = new OptionsBuilder();
		for (Class<?> benchmark : List.of(SessionCodecBenchmark.class, NameMapperBenchmark.class,
				JsonRpcCodecBenchmark.class)) {
			options.include(benchmark.getName().replace(".", "\\.") + "\\.");
		}
		options.forks(1)
			.warmupIterations(WARMUP_ITERATIONS)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(MEASUREMENT_ITERATIONS)
			.measurementTime(TimeValue.seconds(1))
			.jvmArgs("-Xmx512m")
			.verbosity(VerboseMode.SILENT);
		try {
			Collection<RunResult> results = new Runner(options.build()).run();
			return results.stream().map(HotPathsRun::score).sorted((a, b) -> a.name().compareTo(b.name())).toList();
		}
		catch (RunnerException ex) {
			throw new IllegalStateException("JMH failed", ex);
		}
	}

	private static Score score(RunResult result) {
		String benchmark = result.getParams().getBenchmark();
		String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
		String targets = result.getParams().getParam("targets");
		return new Score((targets != null) ? name + " (" + targets + " targets)" : name,
				result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(),
				result.getPrimaryResult().getScoreUnit());
	}

	record Score(String name, double score, double error, String unit) {

	}

}
