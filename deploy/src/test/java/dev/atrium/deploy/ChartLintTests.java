package dev.atrium.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code helm lint --strict}, with the chart's values and with every example.
 */
class ChartLintTests {

	@Test
	void chartLintsWithoutWarningsOrErrors() {
		LintResult result = HelmChart.lint();
		assertThat(HelmChart.problems(result)).isEmpty();
		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	static List<Path> examples() {
		return HelmChart.examples();
	}

	@ParameterizedTest
	@MethodSource("examples")
	void everyExampleLintsWithoutWarningsOrErrors(Path example, @TempDir Path work) {
		LintResult result = HelmChart.lintWith(example, work);
		assertThat(HelmChart.problems(result)).isEmpty();
		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	@Test
	void lintWithValuesReportsValuesTheSchemaRefuses(@TempDir Path work) throws Exception {
		Path values = Files.writeString(work.resolve("bad.yaml"), "replicaCount: -1\n");
		LintResult result = HelmChart.lintWith(values, Files.createDirectory(work.resolve("chart")));
		assertThat(result.isFailed()).isTrue();
		assertThat(String.join("\n", result.getMessages())).contains("/replicaCount");
	}

	@Test
	void examplesCoverProductionInBothRegionsAndAProofOfConcept() {
		assertThat(HelmChart.examples()).extracting((path) -> path.getFileName().toString())
			.containsExactly("poc.yaml", "production-eu-west-1.yaml", "production-us-east-1.yaml");
	}

	@Test
	void chartFollowsHelmsConventionsAndDeploysThisVersionOfAtrium() {
		JsonNode chart = HelmChart.readYaml(HelmChart.DIR.resolve("Chart.yaml"));
		assertThat(chart.path("apiVersion").asString()).isEqualTo("v2");
		assertThat(chart.path("name").asString()).isEqualTo(HelmChart.DIR.getFileName().toString());
		assertThat(chart.path("type").asString()).isEqualTo("application");
		assertThat(chart.path("version").asString()).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
		assertThat(chart.path("appVersion").asString()).isEqualTo(System.getProperty("atrium.version"));
		assertThat(chart.path("kubeVersion").asString()).isNotBlank();
		assertThat(HelmChart.DIR.resolve("values.schema.json")).isRegularFile();
		assertThat(HelmChart.DIR.resolve("templates/NOTES.txt")).isRegularFile();
		assertThat(HelmChart.DIR.resolve("templates/_helpers.tpl")).isRegularFile();
	}

}
