package dev.atrium.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Atrium's configuration: the values subtree {@code atrium} becomes application.yaml as
 * is, and Spring reads it, with the environment the chart sets, as intended.
 */
class ConfigurationTests {

	private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

	private static final List<String> SERVICE_NAMES = List.of("atrium", "atrium.atrium", "atrium.atrium.svc",
			"atrium.atrium.svc.cluster.local");

	@ParameterizedTest
	@ValueSource(strings = { "production-us-east-1", "production-eu-west-1", "poc" })
	void configMapHoldsTheAtriumValuesAsGiven(String example) {
		JsonNode given = HelmChart.readYaml(HelmChart.example(example)).path("atrium");
		JsonNode rendered = HelmChart.template().example(example).render().applicationYaml().path("atrium");
		// The one thing the chart adds when the values leave it out.
		ObjectNode withoutDerived = (ObjectNode) rendered.deepCopy();
		if (given.at("/server/allowed-hosts").isMissingNode()) {
			((ObjectNode) withoutDerived.path("server")).remove("allowed-hosts");
			if (withoutDerived.path("server").isEmpty()) {
				withoutDerived.remove("server");
			}
		}
		assertThat(withoutDerived).isEqualTo(given);
	}

	@Test
	void anyNewAtriumPropertyPassesThroughWithoutAChartChange() {
		JsonNode rendered = HelmChart.template().values("""
				atrium:
				  rate-limits:
				    third-party: {limit: 1000, period: 1h, burst: 50}
				""").render().applicationYaml();
		assertThat(rendered.at("/atrium/rate-limits/third-party/limit").asInt()).isEqualTo(1000);
		assertThat(rendered.at("/atrium/rate-limits/third-party/period").asString()).isEqualTo("1h");
	}

	@Test
	void allowedHostsDefaultToTheNamesTheReleaseIsReachedBy() {
		JsonNode defaults = HelmChart.template().render().applicationYaml().at("/atrium/server/allowed-hosts");
		assertThat(defaults).extracting(JsonNode::asString).containsExactlyElementsOf(concat(LOOPBACK, SERVICE_NAMES));
		JsonNode withIngress = HelmChart.template()
			.values("ingress: {enabled: true, hosts: [mcp.example.com]}")
			.render()
			.applicationYaml()
			.at("/atrium/server/allowed-hosts");
		assertThat(withIngress).extracting(JsonNode::asString)
			.containsExactlyElementsOf(concat(LOOPBACK, SERVICE_NAMES, List.of("mcp.example.com")));
		JsonNode given = HelmChart.template()
			.values("atrium: {server: {allowed-hosts: [mcp.example.com]}}")
			.render()
			.applicationYaml()
			.at("/atrium/server/allowed-hosts");
		assertThat(given).extracting(JsonNode::asString).containsExactly("mcp.example.com");
	}

	@Test
	void springConfigGoesBesideAtriumAndMayNotHoldIt() {
		JsonNode rendered = HelmChart.template()
			.values("springConfig: {logging: {level: {dev.atrium: DEBUG}}}")
			.render()
			.applicationYaml();
		assertThat(rendered.propertyNames()).containsExactlyInAnyOrder("atrium", "logging");
		assertThat(HelmChart.template().values("springConfig: {atrium: {demo: {enabled: true}}}").failure())
			.contains("springConfig has a key atrium");
	}

	/**
	 * Spring's own binder over the rendered application.yaml and the container's
	 * environment (secrets filled in as the kubelet would), as Atrium's would see them.
	 */
	@Test
	void springBindsTheRenderedConfigurationAndEnvironmentAsIntended() throws Exception {
		Manifests manifests = HelmChart.template().example("production-us-east-1").render();
		Map<String, Object> environment = new HashMap<>();
		manifests.env()
			.forEach((name, variable) -> environment.put(name,
					variable.has("value") ? variable.path("value").asString()
							: "from-secret:" + variable.at("/valueFrom/secretKeyRef/name").asString() + "/"
									+ variable.at("/valueFrom/secretKeyRef/key").asString()));
		StandardEnvironment spring = new StandardEnvironment();
		MutablePropertySources sources = spring.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		// Under Spring's own name, so that Boot maps variable names as it does for the
		// real environment.
		sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				environment));
		for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yaml",
				new ByteArrayResource(manifests.applicationYamlText().getBytes()))) {
			sources.addLast(yaml);
		}
		ConfigurationPropertySources.attach(spring);
		Binder binder = Binder.get(spring);

		assertThat(binder.bind("server.address", String.class).get()).isEqualTo("0.0.0.0");
		assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8080);
		assertThat(binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get())
			.isEqualTo(Duration.ofSeconds(45));
		List<SessionKey> keys = binder.bind("atrium.session.keys", Bindable.listOf(SessionKey.class)).get();
		assertThat(keys).containsExactly(new SessionKey("k2026a", "from-secret:atrium-session-keys/k2026a"));
		// A credential's env: source names a variable the pod has, filled from its
		// Secret.
		String weatherKeyVariable = binder.bind("atrium.targets.weather.credentials.key.env", String.class).get();
		assertThat(spring.getProperty(weatherKeyVariable))
			.isEqualTo("from-secret:atrium-target-credentials/weather-api-key");
		assertThat(binder.bind("atrium.targets.hr.credentials.client-secret.file", String.class).get())
			.isEqualTo("/var/run/secrets/atrium/hr/client-secret");
		Map<String, Scenario> scenarios = binder.bind("atrium.scenarios", Bindable.mapOf(String.class, Scenario.class))
			.get();
		assertThat(scenarios).containsOnlyKeys("internal", "consumer", "enterprise", "third-party");
		assertThat(scenarios.get("internal")).isEqualTo(new Scenario("/internal", List.of("finance", "hr", "weather"),
				List.of("keycloak-ide"), false, scenarios.get("internal").scopes()));
		assertThat(scenarios.get("third-party").scopes()).containsEntry("prompts/list", List.of("gateway:admin"));
		assertThat(binder.bind("atrium.server.allowed-hosts", Bindable.listOf(String.class)).get())
			.contains("mcp.example.com", "mcp-us-east-1.example.com");
	}

	/**
	 * Every production example redefines each scenario of Atrium's built-in default:
	 * Spring merges maps across property sources, so a built-in scenario left out would
	 * stay anonymous over the demo target.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "production-us-east-1", "production-eu-west-1", "poc" })
	void examplesRedefineEveryBuiltInScenarioWithIssuers(String example) {
		JsonNode builtIn = HelmChart
			.readYaml(Path.of("..", "gateway-app", "src", "main", "resources", "application.yml"))
			.at("/atrium/scenarios");
		assertThat(builtIn.propertyNames()).isNotEmpty();
		JsonNode scenarios = HelmChart.readYaml(HelmChart.example(example)).at("/atrium/scenarios");
		for (String name : builtIn.propertyNames()) {
			JsonNode scenario = scenarios.path(name);
			assertThat(scenario.path("anonymous").isBoolean()).as(example + ": " + name + ".anonymous").isTrue();
			assertThat(scenario.path("anonymous").asBoolean()).as(example + ": " + name + ".anonymous").isFalse();
			assertThat(scenario.path("issuers")).as(example + ": " + name + ".issuers").isNotEmpty();
			assertThat(scenario.path("targets")).as(example + ": " + name + ".targets").isNotEmpty();
		}
	}

	@SafeVarargs
	private static List<String> concat(List<String>... lists) {
		return Arrays.stream(lists).flatMap(List::stream).toList();
	}

	record SessionKey(String id, String secret) {
	}

	record Scenario(String path, List<String> targets, List<String> issuers, boolean anonymous,
			Map<String, List<String>> scopes) {
	}

}
