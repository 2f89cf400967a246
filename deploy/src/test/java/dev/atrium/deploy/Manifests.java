package dev.atrium.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * The objects of one {@code helm template} output, parsed, with short ways to the parts
 * the tests look at.
 *
 * @param all every object, in the order Helm wrote them
 */
record Manifests(List<JsonNode> all) {

	static Manifests parse(String output) {
		List<JsonNode> objects = HelmChart.YAML.readerFor(JsonNode.class)
			.<JsonNode>readValues(output)
			.readAll()
			.stream()
			.filter((node) -> node != null && node.isObject() && !node.isEmpty())
			.toList();
		return new Manifests(objects);
	}

	List<String> kinds() {
		return this.all.stream().map((object) -> object.path("kind").asString()).toList();
	}

	Optional<JsonNode> find(String kind, String name) {
		return this.all.stream()
			.filter((object) -> kind.equals(object.path("kind").asString())
					&& name.equals(object.at("/metadata/name").asString()))
			.findFirst();
	}

	Optional<JsonNode> find(String kind) {
		return find(kind, HelmChart.RELEASE);
	}

	JsonNode get(String kind) {
		return get(kind, HelmChart.RELEASE);
	}

	JsonNode get(String kind, String name) {
		return find(kind, name).orElseGet(() -> fail("no " + kind + " " + name + " among " + kinds()));
	}

	JsonNode podSpec() {
		return get("Deployment").at("/spec/template/spec");
	}

	JsonNode container() {
		return podSpec().at("/containers/0");
	}

	/**
	 * The container's environment, by variable name.
	 */
	Map<String, JsonNode> env() {
		Map<String, JsonNode> env = new LinkedHashMap<>();
		container().path("env").forEach((variable) -> env.put(variable.path("name").asString(), variable));
		return env;
	}

	String envValue(String name) {
		JsonNode variable = env().get(name);
		if (variable == null) {
			return fail("no environment variable " + name + " among " + env().keySet());
		}
		return variable.path("value").asString();
	}

	/**
	 * The application.yaml of the ConfigMap, parsed.
	 */
	JsonNode applicationYaml() {
		return HelmChart.YAML.readTree(applicationYamlText());
	}

	String applicationYamlText() {
		return get("ConfigMap").at("/data/application.yaml").asString();
	}

}
