package dev.atrium.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations guide and the image recipe agree with the chart.
 */
class DocumentationTests {

	/**
	 * Values whose inside is free-form (Kubernetes objects, maps): one row covers them.
	 */
	private static final Set<String> OPAQUE = Set.of("resources", "strategy", "autoscaling.behavior",
			"networkPolicy.egress.dns", "networkPolicy.ingress.ingressController", "networkPolicy.ingress.monitoring",
			"monitoring.prometheusRule.scenarioLatencySeconds", "monitoring.dashboard.labels");

	private static final Path GUIDE = Path.of("..", "docs", "operations.md");

	@Test
	void operationsGuideDescribesEveryValueAndNoOther() throws Exception {
		List<String> values = new ArrayList<>();
		flatten("", HelmChart.readYaml(HelmChart.DIR.resolve("values.yaml")), values);
		Set<String> documented = documentedValues();
		assertThat(documented).as("rows of the values reference in docs/operations.md")
			.containsExactlyInAnyOrderElementsOf(values);
	}

	@Test
	void readmePointsToTheOperationsGuide() throws Exception {
		assertThat(Files.readString(Path.of("..", "README.md"))).contains("(docs/operations.md)");
	}

	@Test
	void imageRunsTheExecutableJarAsTheChartsNonRootUserOnTheChartsPort() throws Exception {
		String dockerfile = Files.readString(Path.of("docker", "Dockerfile"));
		String gatewayPom = Files.readString(Path.of("..", "gateway-app", "pom.xml"));
		assertThat(gatewayPom).contains("<artifactId>atrium-gateway-app</artifactId>")
			.contains("<classifier>exec</classifier>");
		assertThat(dockerfile).contains("FROM eclipse-temurin:25-jre")
			.contains("COPY gateway-app/target/atrium-gateway-app-*-exec.jar ");
		JsonNode security = HelmChart.readYaml(HelmChart.DIR.resolve("values.yaml")).path("securityContext");
		assertThat(dockerfile)
			.contains("USER " + security.path("runAsUser").asInt() + ":" + security.path("runAsGroup").asInt());
		assertThat(dockerfile)
			.contains("EXPOSE " + HelmChart.template().render().container().at("/ports/0/containerPort").asInt());
		assertThat(dockerfile).containsPattern("ENTRYPOINT \\[\"java\"");
		assertThat(Files.readString(Path.of("docker", "Dockerfile.dockerignore")))
			.contains("!gateway-app/target/atrium-gateway-app-*-exec.jar");
	}

	private static void flatten(String prefix, JsonNode node, List<String> paths) {
		if (node.isObject() && !node.isEmpty() && !OPAQUE.contains(prefix)) {
			for (String name : node.propertyNames()) {
				flatten(prefix.isEmpty() ? name : prefix + "." + name, node.get(name), paths);
			}
		}
		else {
			paths.add(prefix);
		}
	}

	/**
	 * The first cell of every row of the "Values reference" section.
	 */
	private static Set<String> documentedValues() throws Exception {
		String guide = Files.readString(GUIDE);
		int start = guide.indexOf("## Values reference");
		assertThat(start).as("a section \"## Values reference\"").isNotNegative();
		int end = guide.indexOf("\n## ", start + 1);
		String section = guide.substring(start, (end < 0) ? guide.length() : end);
		Set<String> keys = new TreeSet<>();
		Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z0-9.-]+)` \\|").matcher(section);
		while (row.find()) {
			keys.add(row.group(1));
		}
		return keys;
	}

}
