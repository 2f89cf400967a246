package dev.atrium.benchmarks.jmh;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each JMH benchmark method once, without JMH: they run and measure what they claim. The
 * measurements themselves run in the bench profile only.
 */
class HotPathBenchmarksTests {

	@Test
	void sessionCodecBenchmarksSealAndOpen() {
		SessionCodecBenchmark benchmark = new SessionCodecBenchmark();
		benchmark.targets = 10;
		benchmark.setUp();
		assertThat(benchmark.seal()).isNotBlank();
		assertThat(benchmark.open()).hasValueSatisfying((session) -> assertThat(session.upstreams()).hasSize(10));
	}

	@Test
	void nameMapperBenchmarksMapAndResolve() {
		NameMapperBenchmark benchmark = new NameMapperBenchmark();
		benchmark.targets = 10;
		benchmark.setUp();
		assertThat(benchmark.map().size()).isEqualTo(1000);
		assertThat(benchmark.resolve()).hasValueSatisfying((name) -> assertThat(name.target()).isEqualTo("t009"));
	}

	@Test
	void jsonRpcCodecBenchmarksReadAndWrite() {
		JsonRpcCodecBenchmark benchmark = new JsonRpcCodecBenchmark();
		benchmark.setUp();
		assertThat(benchmark.readClientMessage().method()).isEqualTo("tools/call");
		assertThat(benchmark.readTargetMessage().node().has("result")).isTrue();
		assertThat(benchmark.write()).isNotEmpty();
	}

}
