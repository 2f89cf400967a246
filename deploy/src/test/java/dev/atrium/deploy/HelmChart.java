package dev.atrium.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.assertj.core.api.Assertions.fail;

/**
 * The chart under test, linted and rendered by Helm's own Go library (helm-java, through
 * JNA): no helm binary, no cluster. Renders use release {@value #RELEASE} in namespace
 * {@value #NAMESPACE} on Kubernetes {@value #KUBE_VERSION}.
 */
final class HelmChart {

	static final Path DIR = Path.of("helm", "atrium");

	static final Path EXAMPLES = DIR.resolve("examples");

	static final String RELEASE = "atrium";

	static final String NAMESPACE = "atrium";

	static final String KUBE_VERSION = "1.31.0";

	static final YAMLMapper YAML = YAMLMapper.builder().build();

	private HelmChart() {
	}

	static Render template() {
		return new Render();
	}

	static Path example(String name) {
		return EXAMPLES.resolve(name + ".yaml");
	}

	static List<Path> examples() {
		try (Stream<Path> files = Files.list(EXAMPLES)) {
			return files.filter((file) -> file.toString().endsWith(".yaml")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static JsonNode readYaml(Path file) {
		return YAML.readTree(file.toFile());
	}

	/**
	 * {@code helm lint --strict} of the chart with its own values.
	 */
	static LintResult lint() {
		return new Helm(DIR).lint().strict().call();
	}

	/**
	 * {@code helm lint --strict -f values}. helm-java's lint takes no values file, so
	 * this lints a copy of the chart whose values.yaml is the chart's values with the
	 * file merged over them the way Helm merges values (maps key by key, anything else
	 * replaced, null removes the key); lint validates the schema against the same merged
	 * values.
	 */
	static LintResult lintWith(Path valuesFile, Path workDir) {
		Path copy = workDir.resolve("atrium");
		copyChart(copy);
		ObjectNode merged = merge((ObjectNode) readYaml(DIR.resolve("values.yaml")), (ObjectNode) readYaml(valuesFile));
		YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
		return new Helm(copy).lint().strict().call();
	}

	/**
	 * The notes {@code helm install} prints, from a client-only dry run. helm-java's
	 * install cannot be told the Kubernetes version, and its built-in default (1.20) is
	 * below the chart's kubeVersion: the copy installed leaves that one line out.
	 */
	static String installNotes(Path workDir, String valuesYaml) {
		Path copy = workDir.resolve("atrium");
		copyChart(copy);
		try {
			Path chartFile = copy.resolve("Chart.yaml");
			Files.writeString(chartFile, Files.readString(chartFile).replaceAll("(?m)^kubeVersion:.*\\n", ""));
			Path values = Files.writeString(workDir.resolve("values.yaml"), valuesYaml);
			String output = new Helm(copy).install()
				.withName(RELEASE)
				.withNamespace(NAMESPACE)
				.clientOnly()
				.withDryRunOption(DryRun.CLIENT)
				.withValuesFile(values)
				.call()
				.getOutput();
			return output.substring(output.indexOf("NOTES:"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The messages of a lint that are warnings or errors (lint also reports INFO lines).
	 */
	static List<String> problems(LintResult result) {
		return result.getMessages()
			.stream()
			.filter((message) -> message.contains("[WARNING]") || message.contains("[ERROR]"))
			.toList();
	}

	static ObjectNode merge(ObjectNode base, ObjectNode override) {
		ObjectNode result = base.deepCopy();
		for (Map.Entry<String, JsonNode> entry : override.properties()) {
			JsonNode current = result.get(entry.getKey());
			JsonNode value = entry.getValue();
			if (value.isNull()) {
				result.remove(entry.getKey());
			}
			else if (current instanceof ObjectNode currentObject && value instanceof ObjectNode valueObject) {
				result.set(entry.getKey(), merge(currentObject, valueObject));
			}
			else {
				result.set(entry.getKey(), value.deepCopy());
			}
		}
		return result;
	}

	private static void copyChart(Path target) {
		try (Stream<Path> files = Files.walk(DIR)) {
			for (Path source : files.toList()) {
				Path relative = DIR.relativize(source);
				if (relative.startsWith("examples")) {
					continue;
				}
				Path destination = target.resolve(relative.toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(source, destination);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One {@code helm template} call: values files and YAML snippets in order, then
	 * {@code --set} values.
	 */
	static final class Render {

		private final List<Path> files = new ArrayList<>();

		private final Map<String, Object> sets = new LinkedHashMap<>();

		Render values(Path file) {
			this.files.add(file);
			return this;
		}

		Render example(String name) {
			return values(HelmChart.example(name));
		}

		/**
		 * A values snippet, as it would be written in a values file.
		 */
		Render values(String yaml) {
			try {
				Path file = Files.createTempFile("atrium-values-", ".yaml");
				file.toFile().deleteOnExit();
				Files.writeString(file, yaml);
				this.files.add(file);
				return this;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		Render set(String key, Object value) {
			this.sets.put(key, value);
			return this;
		}

		Manifests render() {
			try {
				return Manifests.parse(command().call());
			}
			catch (IllegalStateException ex) {
				return fail("helm template failed: " + ex.getMessage(), ex);
			}
		}

		/**
		 * The error of a render that must fail.
		 */
		String failure() {
			try {
				command().call();
			}
			catch (IllegalStateException ex) {
				return ex.getMessage();
			}
			return fail(
					"helm template rendered values it should have refused: files " + this.files + ", set " + this.sets);
		}

		private TemplateCommand command() {
			TemplateCommand command = new Helm(DIR).template()
				.withName(RELEASE)
				.withNamespace(NAMESPACE)
				.withKubeVersion(KUBE_VERSION);
			for (Path file : this.files) {
				command = command.withValuesFile(file);
			}
			for (Map.Entry<String, Object> set : this.sets.entrySet()) {
				command = command.set(set.getKey(), set.getValue());
			}
			return command;
		}

	}

}
