package dev.atrium.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is off by default: the ALB Ingress, the ServiceMonitor, the SLO alerts and the
 * Grafana dashboard.
 */
class OptionalResourcesTests {

	private static final String ALB = "alb.ingress.kubernetes.io/";

	private static final String ALL_ON = """
			ingress:
			  enabled: true
			  hosts: [mcp.example.com]
			  alb:
			    scheme: internet-facing
			    certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
			monitoring:
			  serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
			  prometheusRule: {enabled: true}
			  dashboard: {enabled: true}
			""";

	private static final Pattern METRIC = Pattern.compile("\\b([a-z_]+)(?=\\{)");

	@Test
	void optionalResourcesAreAbsentByDefault() {
		Manifests defaults = HelmChart.template().render();
		assertThat(defaults.kinds()).containsExactlyInAnyOrder("NetworkPolicy", "PodDisruptionBudget", "ServiceAccount",
				"ConfigMap", "Service", "Deployment", "HorizontalPodAutoscaler");
		Manifests enabled = HelmChart.template().values(ALL_ON).render();
		assertThat(enabled.kinds()).contains("Ingress", "ServiceMonitor", "PrometheusRule");
		assertThat(enabled.find("ConfigMap", "atrium-dashboard")).isPresent();
	}

	@Test
	void albIngressHealthChecksHealthAndDrainsAsLongAsThePod() {
		Manifests manifests = HelmChart.template().values(ALL_ON).render();
		JsonNode ingress = manifests.get("Ingress");
		JsonNode annotations = ingress.at("/metadata/annotations");
		assertThat(ingress.at("/spec/ingressClassName").asString()).isEqualTo("alb");
		assertThat(annotations.path(ALB + "healthcheck-path").asString()).isEqualTo("/health");
		assertThat(annotations.path(ALB + "target-type").asString()).isEqualTo("ip");
		assertThat(annotations.path(ALB + "scheme").asString()).isEqualTo("internet-facing");
		assertThat(annotations.path(ALB + "certificate-arn").asString()).startsWith("arn:aws:acm:");
		assertThat(annotations.path(ALB + "listen-ports").asString()).contains("HTTPS");
		assertThat(annotations.path(ALB + "target-group-attributes").asString())
			.isEqualTo("deregistration_delay.timeout_seconds=60");
		assertThat(annotations.path(ALB + "load-balancer-attributes").asString())
			.isEqualTo("idle_timeout.timeout_seconds=300");
		JsonNode rule = ingress.at("/spec/rules/0");
		assertThat(rule.path("host").asString()).isEqualTo("mcp.example.com");
		assertThat(rule.at("/http/paths")).extracting((path) -> path.path("path").asString())
			.contains("/internal", "/consumer", "/enterprise", "/third-party", "/.well-known", "/health")
			.doesNotContain("/", "/actuator", "/actuator/prometheus", "/actuator/health", "/actuator/health/readiness");
		assertThat(rule.at("/http/paths/0/backend/service/name").asString())
			.isEqualTo(manifests.get("Service").at("/metadata/name").asString());
		assertThat(rule.at("/http/paths/0/backend/service/port/number").asInt())
			.isEqualTo(manifests.get("Service").at("/spec/ports/0/port").asInt());
	}

	@Test
	void anInternetFacingAlbWithoutACertificateIsRefused() {
		assertThat(HelmChart.template()
			.values("ingress: {enabled: true, alb: {scheme: internet-facing, certificateArn: ''}}")
			.failure()).contains("certificateArn is empty");
		JsonNode internal = HelmChart.template().values("ingress: {enabled: true}").render().get("Ingress");
		assertThat(internal.at("/metadata/annotations/" + ALB.replace("/", "~1") + "scheme").asString())
			.isEqualTo("internal");
		assertThat(internal.at("/spec/rules/0/host").isMissingNode()).isTrue();
	}

	@Test
	void anInstanceTargetAlbInFrontOfAClusterIpServiceIsRefused() {
		assertThat(HelmChart.template().values("ingress: {enabled: true, alb: {targetType: instance}}").failure())
			.contains("service.type is ClusterIP");
		HelmChart.template()
			.values("ingress: {enabled: true, alb: {targetType: instance}}\nservice: {type: NodePort}")
			.render();
	}

	@Test
	void annotationsGivenInValuesWinOverTheChartsOwn() {
		JsonNode annotations = HelmChart.template()
			.values("ingress: {enabled: true, annotations: {alb.ingress.kubernetes.io/healthcheck-interval-seconds: '10', alb.ingress.kubernetes.io/target-type: instance}}")
			.render()
			.get("Ingress")
			.at("/metadata/annotations");
		assertThat(annotations.path(ALB + "target-type").asString()).isEqualTo("instance");
		assertThat(annotations.path(ALB + "healthcheck-interval-seconds").asString()).isEqualTo("10");
		assertThat(annotations.path(ALB + "healthcheck-path").asString()).isEqualTo("/health");
	}

	@Test
	void serviceMonitorScrapesThePrometheusEndpointOfTheService() {
		Manifests manifests = HelmChart.template().values(ALL_ON).render();
		JsonNode monitor = manifests.get("ServiceMonitor");
		assertThat(monitor.path("apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
		assertThat(monitor.at("/metadata/labels/release").asString()).isEqualTo("kube-prometheus-stack");
		assertThat(monitor.at("/spec/endpoints/0/path").asString()).isEqualTo("/actuator/prometheus");
		assertThat(monitor.at("/spec/endpoints/0/port").asString())
			.isEqualTo(manifests.get("Service").at("/spec/ports/0/name").asString());
		JsonNode selector = monitor.at("/spec/selector/matchLabels");
		JsonNode serviceLabels = manifests.get("Service").at("/metadata/labels");
		selector.propertyNames()
			.forEach((label) -> assertThat(serviceLabels.path(label)).as(label).isEqualTo(selector.path(label)));
	}

	@Test
	void sloAlertsReadEachScenarioAtItsOwnLatencyBucket() {
		JsonNode rule = HelmChart.template().values(ALL_ON).render().get("PrometheusRule");
		assertThat(rule.path("apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
		String expected = """
				internal=0.5 consumer=0.2 enterprise=0.3 third-party=0.4""";
		for (String pair : expected.split(" ")) {
			String scenario = pair.split("=")[0];
			String bucket = pair.split("=")[1];
			JsonNode alert = alert(rule, "AtriumScenarioLatencyBurnFast", scenario);
			assertThat(alert.path("expr").asString()).as(scenario)
				.contains("scenario=\"" + scenario + "\"")
				.contains("le=\"" + bucket + "\"")
				.contains("atrium_mcp_requests_seconds_bucket")
				.contains("atrium_mcp_requests_seconds_count");
			assertThat(
					alert(rule, "AtriumScenarioLatencyBurnSlow", scenario).path("labels").path("severity").asString())
				.isEqualTo("warning");
		}
		assertThat(alert(rule, "AtriumGatewayHopLatencyBurnFast", null).path("expr").asString())
			.contains("target=\"atrium\"")
			.contains("le=\"0.05\"");
		for (String name : new String[] { "AtriumScenarioErrorRateHigh", "AtriumTargetFailing", "AtriumInstanceDown",
				"AtriumNoInstanceUp" }) {
			assertThat(alert(rule, name, null).path("expr").asString()).as(name).contains("namespace=\"atrium\"");
		}
	}

	@Test
	void aLatencyTargetBetweenHistogramBucketsIsRefused() {
		assertThat(
				HelmChart.template().set("monitoring.prometheusRule.scenarioLatencySeconds.consumer", 0.25).failure())
			.contains("/monitoring/prometheusRule/scenarioLatencySeconds/consumer");
	}

	/**
	 * Alerts and panels may only use the metrics Atrium exports (docs/observability.md)
	 * and Prometheus's own {@code up}: an alert on a metric that does not exist never
	 * fires.
	 */
	@Test
	void alertsAndDashboardUseOnlyMetricsAtriumExports() throws Exception {
		Set<String> exported = new TreeSet<>();
		Matcher documented = Pattern.compile("`(atrium_[a-z_]+)`")
			.matcher(Files.readString(Path.of("..", "docs", "observability.md")));
		while (documented.find()) {
			exported.add(documented.group(1));
		}
		assertThat(exported).contains("atrium_mcp_requests_seconds");
		Manifests manifests = HelmChart.template().values(ALL_ON).render();
		Set<String> used = new TreeSet<>();
		manifests.get("PrometheusRule")
			.at("/spec/groups")
			.forEach((group) -> group.path("rules")
				.forEach((rule) -> used.addAll(metrics(rule.path("expr").asString()))));
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(manifests.get("ConfigMap", "atrium-dashboard").at("/data/atrium.json").asString());
		dashboard.path("panels")
			.forEach((panel) -> panel.path("targets")
				.forEach((target) -> used.addAll(metrics(target.path("expr").asString()))));
		assertThat(used).isNotEmpty();
		for (String metric : used) {
			String base = metric.replaceAll("_(bucket|count|sum)$", "");
			assertThat(metric.equals("up") || exported.contains(base)).as(metric + " is exported by Atrium").isTrue();
		}
	}

	@Test
	void dashboardIsAGrafanaDashboardTheSidecarPicksUp() throws Exception {
		JsonNode configMap = HelmChart.template().values(ALL_ON).render().get("ConfigMap", "atrium-dashboard");
		assertThat(configMap.at("/metadata/labels/grafana_dashboard").asString()).isEqualTo("1");
		JsonNode dashboard = JsonMapper.builder().build().readTree(configMap.at("/data/atrium.json").asString());
		assertThat(dashboard.path("uid").asString()).isNotBlank();
		assertThat(dashboard.path("title").asString()).isNotBlank();
		int queries = 0;
		for (JsonNode panel : dashboard.path("panels")) {
			if (!"row".equals(panel.path("type").asString())) {
				assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
				queries += panel.path("targets").size();
			}
		}
		assertThat(queries).isGreaterThanOrEqualTo(10);
	}

	private static Set<String> metrics(String expression) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(expression);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	private static JsonNode alert(JsonNode rule, String name, String scenario) {
		for (JsonNode group : rule.at("/spec/groups")) {
			for (JsonNode alert : group.path("rules")) {
				if (name.equals(alert.path("alert").asString())
						&& (scenario == null || scenario.equals(alert.at("/labels/scenario").asString()))) {
					return alert;
				}
			}
		}
		throw new AssertionError("no alert " + name + " for " + scenario);
	}

}
