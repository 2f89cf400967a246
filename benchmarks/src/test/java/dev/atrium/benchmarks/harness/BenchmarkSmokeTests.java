package dev.atrium.benchmarks.harness;

import dev.atrium.benchmarks.harness.ComparisonRun.SubjectResult;
import dev.atrium.benchmarks.load.McpMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark harness end to end, in its short smoke mode: every subject starts (the
 * upstream, nginx, the plain gateway and Atrium, each its own process), answers a correct
 * {@code tools/call} through its path, and the report carries every field. Nothing is
 * asserted about speed: on a shared 2-core machine it means nothing.
 */
class BenchmarkSmokeTests {

	@Test
	void everyPathAnswersAndTheReportIsComplete() {
		BenchSettings settings = BenchSettings.of("smoke", BenchmarkHarness.pathsFromSystemProperties());

		BenchReport report = BenchmarkHarness.run(settings);
		String text = report.render();
		System.out.println(text);

		assertThat(report.verified()).containsOnlyKeys(BenchReport.DIRECT, BenchReport.NGINX, BenchReport.PLAIN,
				BenchReport.ATRIUM);
		assertThat(report.verified())
			.allSatisfy((subject, answer) -> assertThat(answer).isEqualTo(McpMessages.ECHO_MESSAGE));
		assertThat(report.comparison()).extracting(SubjectResult::name)
			.containsExactly(BenchReport.DIRECT, BenchReport.NGINX, BenchReport.PLAIN, BenchReport.ATRIUM);
		for (SubjectResult result : report.comparison()) {
			assertThat(result.warmUp().windows()).as(result.name() + " warm-up").isNotEmpty();
			assertThat(result.throughput().ok()).as(result.name() + " closed-loop answers").isPositive();
			assertThat(result.throughput().failed()).as(result.name() + " closed-loop failures").isZero();
			assertThat(result.latency().ok()).as(result.name() + " open-loop answers").isPositive();
			assertThat(result.latency().failed()).as(result.name() + " open-loop failures").isZero();
		}
		assertThat(report.anonymous().latency().ok()).isPositive();
		assertThat(report.catalogs()).singleElement().satisfies((catalog) -> {
			assertThat(catalog.tools()).isEqualTo(2 * 100);
			assertThat(catalog.list().ok()).isPositive();
			assertThat(catalog.call().ok()).isPositive();
			assertThat(catalog.coldListMillis()).isNotEmpty();
		});
		assertThat(report.memory()).extracting(MemoryRun.Step::kind)
			.containsExactly("sessions with an open SSE stream", "streaming calls");
		assertThat(report.memory()).allSatisfy((step) -> assertThat(step.held()).isEqualTo(step.requested()));
		assertThat(text).contains("## Same tools/call, four paths", "## Atrium relative to the others",
				"Atrium / direct", "Atrium / nginx", "Atrium / plain gateway", "## Cost of token validation",
				"## Catalog size", "## Atrium's memory per client", "not on the path: span export", "warm-up", "p99");
		assertThat(text).doesNotContain("NaN");
	}

}
