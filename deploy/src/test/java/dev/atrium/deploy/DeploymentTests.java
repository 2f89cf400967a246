package dev.atrium.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Deployment: hardening, probes, graceful shutdown, spread, and what rolls the pods.
 */
class DeploymentTests {

	private final Manifests defaults = HelmChart.template().render();

	@Test
	void podRunsAsNonRootWithReadOnlyRootFilesystem() {
		JsonNode pod = this.defaults.podSpec().path("securityContext");
		assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
		assertThat(pod.path("runAsUser").asInt()).isPositive();
		assertThat(pod.at("/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
		JsonNode container = this.defaults.container().path("securityContext");
		assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
		assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
		assertThat(container.path("allowPrivilegeEscalation").isBoolean()).isTrue();
		assertThat(container.path("allowPrivilegeEscalation").asBoolean()).isFalse();
		assertThat(container.path("privileged").asBoolean()).isFalse();
		assertThat(container.at("/capabilities/drop")).extracting(JsonNode::asString).containsExactly("ALL");
		assertThat(container.at("/capabilities/add").isMissingNode()).isTrue();
		assertThat(container.at("/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
	}

	@Test
	void tmpIsAWritableEmptyDirBecauseTheRootFilesystemIsNot() {
		JsonNode tmpMount = mount("/tmp");
		assertThat(tmpMount.path("readOnly").asBoolean()).isFalse();
		JsonNode volume = volume(tmpMount.path("name").asString());
		assertThat(volume.has("emptyDir")).isTrue();
		assertThat(volume.at("/emptyDir/sizeLimit").asString()).isEqualTo("256Mi");
	}

	@Test
	void aRootUserIdIsRefused() {
		assertThat(HelmChart.template().set("securityContext.runAsUser", 0).failure())
			.contains("/securityContext/runAsUser");
	}

	@Test
	void logsAreJsonLinesInTheSeedsShapeUnlessToldOtherwise() {
		String atriumFormat = "dev.atrium.observability.logging.AtriumStructuredLogFormatter";
		assertThat(this.defaults.envValue("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isEqualTo(atriumFormat);
		assertThat(Path.of("..", "observability", "src", "main", "java", atriumFormat.replace('.', '/') + ".java"))
			.as("the formatter the chart names")
			.isRegularFile();
		assertThat(HelmChart.template()
			.set("logging.format", "ecs")
			.render()
			.envValue("LOGGING_STRUCTURED_FORMAT_CONSOLE")).isEqualTo("ecs");
		assertThat(HelmChart.template().set("logging.format", "text").render().env())
			.doesNotContainKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");
		assertThat(HelmChart.template().set("logging.format", "xml").failure()).contains("/logging/format");
	}

	@Test
	void probesUseTheActuatorHealthGroupsOnTheHttpPort() {
		JsonNode container = this.defaults.container();
		assertThat(container.at("/startupProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/liveness");
		assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(container.at("/" + probe + "/httpGet/port").asString()).as(probe).isEqualTo("http");
		}
		JsonNode http = container.path("ports").get(0);
		assertThat(http.path("name").asString()).isEqualTo("http");
		assertThat(http.path("containerPort").asInt()).isEqualTo(8080);
		assertThat(this.defaults.envValue("SERVER_PORT")).isEqualTo("8080");
	}

	@Test
	void startupProbeGivesASlowJvmMinutesBeforeLivenessCounts() {
		JsonNode startup = this.defaults.container().path("startupProbe");
		int seconds = startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt();
		assertThat(seconds).isGreaterThanOrEqualTo(120);
	}

	@Test
	void podListensOnAllInterfacesAndReadsTheConfigMap() {
		assertThat(this.defaults.envValue("SERVER_ADDRESS")).isEqualTo("0.0.0.0");
		assertThat(this.defaults.envValue("SPRING_CONFIG_ADDITIONAL_LOCATION"))
			.isEqualTo("file:/etc/atrium/application.yaml");
		JsonNode configMount = mount("/etc/atrium");
		assertThat(configMount.path("readOnly").asBoolean()).isTrue();
		assertThat(volume(configMount.path("name").asString()).at("/configMap/name").asString())
			.isEqualTo(this.defaults.get("ConfigMap").at("/metadata/name").asString());
	}

	@Test
	void eachPodAdvertisesItsOwnAddressFromTheDownwardApi() {
		assertThat(this.defaults.env().get("POD_IP").at("/valueFrom/fieldRef/fieldPath").asString())
			.isEqualTo("status.podIP");
		assertThat(this.defaults.envValue("ATRIUM_REPLICA_ADVERTISEDURL")).isEqualTo("http://$(POD_IP):8080");
		// Kubernetes expands $(POD_IP) only from a variable defined before.
		assertThat(List.copyOf(this.defaults.env().keySet())).containsSubsequence("POD_IP",
				"ATRIUM_REPLICA_ADVERTISEDURL");
		assertThat(HelmChart.template().set("replicaHandOff.enabled", "false").render().env())
			.doesNotContainKeys("POD_IP", "ATRIUM_REPLICA_ADVERTISEDURL");
	}

	@Test
	void terminationOutlastsThePreStopSleepAndSpringsDrain() {
		assertShutdown(this.defaults, 15, 45);
		Manifests longStreams = HelmChart.template()
			.set("shutdown.preStopSleepSeconds", 20)
			.set("shutdown.drainSeconds", 300)
			.render();
		assertShutdown(longStreams, 20, 300);
	}

	private static void assertShutdown(Manifests manifests, int preStop, int drain) {
		assertThat(manifests.container().at("/lifecycle/preStop/sleep/seconds").asInt()).isEqualTo(preStop);
		assertThat(manifests.envValue("SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE")).isEqualTo(drain + "s");
		assertThat(manifests.podSpec().path("terminationGracePeriodSeconds").asInt()).isGreaterThan(preStop + drain);
	}

	@Test
	void idleConnectionsOutliveTheLoadBalancersIdleTimeout() {
		assertThat(this.defaults.envValue("SERVER_NETTY_IDLETIMEOUT")).isEqualTo("360s");
		assertThat(HelmChart.template()
			.set("ingress.alb.idleTimeoutSeconds", 900)
			.render()
			.envValue("SERVER_NETTY_IDLETIMEOUT")).isEqualTo("960s");
	}

	@Test
	void podsSpreadAcrossZonesStrictlyAndNodesBestEffort() {
		JsonNode constraints = this.defaults.podSpec().path("topologySpreadConstraints");
		assertThat(constraints).hasSize(2);
		JsonNode zone = constraints.get(0);
		assertThat(zone.path("topologyKey").asString()).isEqualTo("topology.kubernetes.io/zone");
		assertThat(zone.path("whenUnsatisfiable").asString()).isEqualTo("DoNotSchedule");
		assertThat(zone.at("/labelSelector/matchLabels"))
			.isEqualTo(this.defaults.get("Deployment").at("/spec/selector/matchLabels"));
		JsonNode node = constraints.get(1);
		assertThat(node.path("topologyKey").asString()).isEqualTo("kubernetes.io/hostname");
		assertThat(node.path("whenUnsatisfiable").asString()).isEqualTo("ScheduleAnyway");
	}

	@Test
	void aConfigurationChangeRollsThePods() {
		String checksum = checksum(this.defaults);
		assertThat(checksum).matches("[0-9a-f]{64}");
		assertThat(checksum(HelmChart.template().set("atrium.federation.page-size", 50).render()))
			.isNotEqualTo(checksum);
		assertThat(checksum(HelmChart.template().set("springConfig.logging.level.dev\\.atrium", "DEBUG").render()))
			.isNotEqualTo(checksum);
		assertThat(checksum(HelmChart.template().set("service.annotations.team", "platform").render()))
			.as("a change outside the configuration")
			.isEqualTo(checksum);
	}

	private static String checksum(Manifests manifests) {
		return manifests.get("Deployment").at("/spec/template/metadata/annotations/checksum~1config").asString();
	}

	@Test
	void podNeitherMountsAnApiTokenNorGetsServiceLinks() {
		assertThat(this.defaults.podSpec().path("automountServiceAccountToken").asBoolean(true)).isFalse();
		assertThat(this.defaults.podSpec().path("enableServiceLinks").asBoolean(true)).isFalse();
		assertThat(this.defaults.get("ServiceAccount").path("automountServiceAccountToken").asBoolean(true)).isFalse();
	}

	@Test
	void imageDefaultsToTheAppVersionAndADigestPinsIt() {
		assertThat(this.defaults.container().path("image").asString())
			.isEqualTo("atrium:" + System.getProperty("atrium.version"));
		String digest = "sha256:" + "ab".repeat(32);
		Manifests pinned = HelmChart.template()
			.set("image.repository", "registry.example/atrium")
			.set("image.digest", digest)
			.render();
		assertThat(pinned.container().path("image").asString()).isEqualTo("registry.example/atrium@" + digest);
		assertThat(HelmChart.template().set("image.digest", "latest").failure()).contains("/image/digest");
	}

	@Test
	void everyObjectCarriesTheRecommendedLabels() {
		Manifests everything = HelmChart.template().values("""
				ingress: {enabled: true, hosts: [mcp.example.com]}
				monitoring:
				  serviceMonitor: {enabled: true}
				  prometheusRule: {enabled: true}
				  dashboard: {enabled: true}
				""").render();
		List<JsonNode> objects = new ArrayList<>(everything.all());
		objects.add(everything.get("Deployment").at("/spec/template"));
		assertThat(objects).hasSizeGreaterThanOrEqualTo(12);
		for (JsonNode object : objects) {
			JsonNode labels = object.at("/metadata/labels");
			String what = object.path("kind").asString("pod template") + " " + object.at("/metadata/name").asString();
			assertThat(labels.propertyNames()).as(what)
				.contains("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
						"app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
						"helm.sh/chart");
			assertThat(labels.path("app.kubernetes.io/managed-by").asString()).as(what).isEqualTo("Helm");
			assertThat(labels.path("app.kubernetes.io/instance").asString()).as(what).isEqualTo(HelmChart.RELEASE);
		}
	}

	@Test
	void selectorHoldsOnlyLabelsThatNeverChange() {
		Map<String, String> selector = HelmChart.YAML.convertValue(
				this.defaults.get("Deployment").at("/spec/selector/matchLabels"),
				HelmChart.YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
		assertThat(selector).containsOnlyKeys("app.kubernetes.io/name", "app.kubernetes.io/instance");
		assertThat(HelmChart.template()
			.set("image.tag", "0.2.0")
			.render()
			.get("Deployment")
			.at("/spec/selector/matchLabels"))
			.isEqualTo(this.defaults.get("Deployment").at("/spec/selector/matchLabels"));
	}

	@Test
	void serviceSendsItsHttpPortToThePodsHttpPort() {
		JsonNode service = this.defaults.get("Service");
		assertThat(service.at("/spec/ports/0/targetPort").asString()).isEqualTo("http");
		assertThat(service.at("/spec/ports/0/name").asString()).isEqualTo("http");
		assertThat(service.at("/spec/selector"))
			.isEqualTo(this.defaults.get("Deployment").at("/spec/selector/matchLabels"));
	}

	@Test
	void serviceAccountCarriesTheIrsaRoleForSigV4AndSecretsManager() {
		String role = "arn:aws:iam::123456789012:role/atrium-gateway";
		Manifests irsa = HelmChart.template()
			.set("serviceAccount.roleArn", role)
			.set("aws.region", "eu-west-1")
			.render();
		JsonNode account = irsa.get("ServiceAccount");
		assertThat(account.at("/metadata/annotations/eks.amazonaws.com~1role-arn").asString()).isEqualTo(role);
		assertThat(irsa.podSpec().path("serviceAccountName").asString())
			.isEqualTo(account.at("/metadata/name").asString());
		assertThat(irsa.envValue("AWS_REGION")).isEqualTo("eu-west-1");
		assertThat(irsa.env()).doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
		assertThat(this.defaults.get("ServiceAccount").at("/metadata/annotations").isMissingNode()).isTrue();
		assertThat(HelmChart.template().set("serviceAccount.roleArn", "atrium-gateway").failure())
			.contains("/serviceAccount/roleArn");
	}

	private JsonNode mount(String path) {
		for (JsonNode mount : this.defaults.container().path("volumeMounts")) {
			if (path.equals(mount.path("mountPath").asString())) {
				return mount;
			}
		}
		throw new AssertionError("nothing mounted at " + path);
	}

	private JsonNode volume(String name) {
		for (JsonNode volume : this.defaults.podSpec().path("volumes")) {
			if (name.equals(volume.path("name").asString())) {
				return volume;
			}
		}
		throw new AssertionError("no volume " + name);
	}

}
