package dev.atrium.benchmarks.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchSettingsTests {

	private static final BenchSettings.Paths PATHS = new BenchSettings.Paths(Path.of("atrium.jar"), "cp",
			Path.of("work"), null);

	@Test
	void optionsReplaceTheModesDefaults() {
		BenchSettings settings = BenchSettings.of("full", PATHS, "--warmup-cap=60s", "--rate=200", "--streams=10,20",
				"--catalog-targets=", "--jmh=false");

		assertThat(settings.warmupCap()).isEqualTo(Duration.ofSeconds(60));
		assertThat(settings.rate()).isEqualTo(200);
		assertThat(settings.streamSteps()).containsExactly(10, 20);
		assertThat(settings.catalogTargets()).isEmpty();
		assertThat(settings.jmh()).isFalse();
		assertThat(settings.window()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.subjects()).containsExactly("direct", "nginx", "plain", "atrium");
	}

	@Test
	void aFocusedRunNamesItsSubjects() {
		BenchSettings settings = BenchSettings.of("full", PATHS, "--subjects=atrium,direct");

		assertThat(settings.subjects()).containsExactly("direct", "atrium");
		assertThat(settings.measures("nginx")).isFalse();
	}

	@Test
	void anUnknownSubjectIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchSettings.of("full", PATHS, "--subjects=envoy"))
			.withMessageContaining("envoy");
	}

	@Test
	void atriumPropertiesAreCollected() {
		BenchSettings settings = BenchSettings.of("smoke", PATHS, "--atrium=atrium.federation.page-size=50",
				"--atrium=atrium.server.max-request-body=2MB");

		assertThat(settings.atriumProperties()).containsEntry("atrium.federation.page-size", "50")
			.containsEntry("atrium.server.max-request-body", "2MB");
	}

	@Test
	void jvmOptionsAreSplitOnSpaces() {
		assertThat(BenchSettings.of("full", PATHS, "--jvm=-Xmx2g  -XX:+UseZGC").jvmOptions())
			.isEqualTo(List.of("-Xmx2g", "-XX:+UseZGC"));
	}

	@Test
	void theBaselinesTheJvmGatewaysAndTheAnonymousScenarioHaveCapsOfTheirOwn() {
		BenchSettings settings = BenchSettings.of("full", PATHS, "--baseline-warmup-cap=45s");

		assertThat(settings.warmupCap("direct")).isEqualTo(Duration.ofSeconds(45));
		assertThat(settings.warmupCap("nginx")).isEqualTo(Duration.ofSeconds(45));
		assertThat(settings.warmupCap("plain gateway")).isEqualTo(Duration.ofSeconds(120));
		assertThat(settings.warmupCap("Atrium")).isEqualTo(Duration.ofSeconds(120));
		assertThat(settings.anonymousWarmupCap()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void theFullRunsHeapIsNeitherFixedNorTouched() {
		assertThat(BenchSettings.of("full", PATHS).jvmOptions()).contains("-Xmx1g")
			.doesNotContain("-Xms1g")
			.doesNotContain("-XX:+AlwaysPreTouch");
	}

	@Test
	void anUnknownOptionIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchSettings.of("full", PATHS, "--warmup=60s"))
			.withMessageContaining("--warmup");
	}

	@Test
	void anUnknownModeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchSettings.of("quick", PATHS))
			.withMessageContaining("'quick'");
	}

	@Test
	void zeroConnectionsAreRefusedWithTheValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> BenchSettings.of("full", PATHS, "--connections=0"))
			.withMessage("connections must be > 0, was 0");
	}

}
