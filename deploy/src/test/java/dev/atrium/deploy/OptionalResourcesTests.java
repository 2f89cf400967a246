package dev.atrium.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is off by default: the ALB Ingress, the ServiceMonitor, the SLO alerts and the
 * Grafana dashboard (whose content {@link MonitoringTests} checks).
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

}
