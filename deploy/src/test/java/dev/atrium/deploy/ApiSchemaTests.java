package dev.atrium.deploy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object the chart renders conforms to its Kubernetes API schema (or its CRD's), as
 * the API server would check it on {@code helm install}: with the defaults, with each
 * example and with every optional resource on. {@link ApiSchemaValidator} says how.
 */
class ApiSchemaTests {

	/** Every optional resource and every optional part of the Deployment switched on. */
	static final String EVERYTHING_ON = """
			ingress:
			  enabled: true
			  hosts: [mcp.example.com]
			  alb:
			    scheme: internet-facing
			    certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555
			    groupName: atrium
			    wafv2AclArn: arn:aws:wafv2:us-east-1:123456789012:regional/webacl/atrium/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
			monitoring:
			  serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
			  prometheusRule: {enabled: true, labels: {release: kube-prometheus-stack}}
			  dashboard: {enabled: true}
			autoscaling:
			  targetMemoryUtilizationPercentage: 80
			serviceAccount:
			  roleArn: arn:aws:iam::123456789012:role/atrium
			aws:
			  region: us-east-1
			imagePullSecrets: [{name: ecr}]
			priorityClassName: atrium-critical
			nodeSelector: {kubernetes.io/arch: amd64}
			tolerations: [{key: dedicated, operator: Equal, value: atrium, effect: NoSchedule}]
			stsKeySecret: {existingSecret: atrium-sts, key: key-secret}
			secretEnv:
			  - name: WEATHER_API_KEY
			    secretKeyRef: {name: weather-api, key: api-key}
			extraEnv:
			  - {name: LOGGING_LEVEL_DEV_ATRIUM, value: DEBUG}
			secretFiles:
			  - secretName: crm-oauth-client
			    mountPath: /var/run/secrets/atrium/crm
			    items: [{key: client-secret, path: client-secret}]
			atrium:
			  targets:
			    crm:
			      url: https://crm.example.com/mcp
			      credentials:
			        type: oauth2
			        token-endpoint: https://atrium.auth.us-east-1.amazoncognito.com/oauth2/token
			        client-id: atrium
			        client-secret: {file: /var/run/secrets/atrium/crm/client-secret}
			extraVolumes:
			  - name: partner-client-key
			    secret: {secretName: partner-client-key, defaultMode: 0400}
			extraVolumeMounts:
			  - {name: partner-client-key, mountPath: /etc/atrium/credentials/partner, readOnly: true}
			networkPolicy:
			  ingress:
			    namespaceSelectors: [{matchLabels: {atrium.dev/caller: "true"}}]
			    loadBalancerCidrs: [10.10.0.0/22]
			    ingressController:
			      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}
			      podSelector: {matchLabels: {app: ingress}}
			    monitoring:
			      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
			      podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}
			  egress:
			    targets: [{cidr: 10.10.64.0/18, ports: [{port: 443}]}]
			    redis: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: redis}}, ports: [{port: 6379}]}]
			""";

	static Stream<Arguments> renders() {
		Stream<Arguments> examples = HelmChart.examples()
			.stream()
			.map((example) -> Arguments.of(example.getFileName().toString(), HelmChart.template().values(example)));
		return Stream.concat(Stream.of(Arguments.of("defaults", HelmChart.template()),
				Arguments.of("everything on", HelmChart.template().values(EVERYTHING_ON))), examples);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("renders")
	void everyRenderedObjectConformsToItsApiSchema(String values, HelmChart.Render render) {
		Manifests manifests = render.render();
		assertThat(manifests.all()).isNotEmpty();
		List<String> violations = manifests.all().stream().flatMap((object) -> violations(object).stream()).toList();
		assertThat(violations).as("rendered with " + values).isEmpty();
	}

	@Test
	void everythingOnRendersEveryKindTheCheckKnows() {
		List<String> kinds = HelmChart.template()
			.values(EVERYTHING_ON)
			.render()
			.all()
			.stream()
			.map((object) -> object.path("apiVersion").asString() + "/" + object.path("kind").asString())
			.toList();
		assertThat(kinds).containsAll(ApiSchemaValidator.kinds());
	}

	@Test
	void aMisspelledFieldIsRefusedNamingTheObjectAndThePath() {
		ObjectNode deployment = deployment();
		((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePullPolicey", "Always");
		assertThat(violations(deployment)).anySatisfy((violation) -> assertThat(violation)
			.startsWith("apps/v1/Deployment atrium: /spec/template/spec/containers/0/imagePullPolicey")
			.contains("is not a field of V1Container"));
	}

	@Test
	void aValueOfTheWrongTypeIsRefused() {
		ObjectNode deployment = deployment();
		((ObjectNode) deployment.at("/spec/template/spec/containers/0/ports/0")).put("containerPort", "8080");
		((ObjectNode) deployment.at("/spec/template/spec/containers/0/securityContext")).put("runAsNonRoot", "true");
		assertThat(violations(deployment)).containsExactlyInAnyOrder(
				"apps/v1/Deployment atrium: /spec/template/spec/containers/0/ports/0/containerPort must be an integer, was STRING \"8080\"",
				"apps/v1/Deployment atrium: /spec/template/spec/containers/0/securityContext/runAsNonRoot must be a boolean, was STRING \"true\"");
	}

	@Test
	void aMissingRequiredFieldIsRefused() {
		ObjectNode deployment = deployment();
		((ObjectNode) deployment.at("/spec/template/spec/containers/0")).remove("name");
		assertThat(violations(deployment))
			.contains("apps/v1/Deployment atrium: /spec/template/spec/containers/0/name is required by V1Container");
	}

	@Test
	void theKubernetesClientsOwnCheckAgrees() {
		ObjectNode networkPolicy = (ObjectNode) HelmChart.template().render().get("NetworkPolicy").deepCopy();
		((ObjectNode) networkPolicy.at("/spec")).put("podSelecter", "{}");
		assertThat(violations(networkPolicy))
			.anySatisfy((violation) -> assertThat(violation).contains("/spec/podSelecter is not a field"))
			.anySatisfy((violation) -> assertThat(violation).contains("the Kubernetes client refuses it")
				.contains("podSelecter"));
	}

	@Test
	void aMisspelledOrMistypedFieldOfAnAlertRuleIsRefused() {
		ObjectNode rule = (ObjectNode) HelmChart.template()
			.values(EVERYTHING_ON)
			.render()
			.get("PrometheusRule")
			.deepCopy();
		ObjectNode alert = (ObjectNode) rule.at("/spec/groups/0/rules/0");
		alert.put("severity", "page");
		alert.put("for", 5);
		assertThat(violations(rule)).containsExactlyInAnyOrder(
				"monitoring.coreos.com/v1/PrometheusRule atrium: /spec/groups/0/rules/0/severity is not a field of Rule (fields: [alert, annotations, expr, for, keep_firing_for, labels, record])",
				"monitoring.coreos.com/v1/PrometheusRule atrium: /spec/groups/0/rules/0/for must be a string, was NUMBER 5");
	}

	@Test
	void aMisspelledFieldOfTheServiceMonitorIsRefused() {
		ObjectNode monitor = (ObjectNode) HelmChart.template()
			.values(EVERYTHING_ON)
			.render()
			.get("ServiceMonitor")
			.deepCopy();
		((ObjectNode) monitor.at("/spec/endpoints/0")).put("scrapeIntervall", "30s");
		assertThat(violations(monitor)).singleElement()
			.asString()
			.startsWith("monitoring.coreos.com/v1/ServiceMonitor atrium: /spec/endpoints/0/scrapeIntervall");
	}

	@Test
	void aKindWithoutASchemaIsRefused() {
		ObjectNode secret = HelmChart.YAML.createObjectNode();
		secret.put("apiVersion", "v1").put("kind", "Secret").putObject("metadata").put("name", "atrium");
		assertThat(violations(secret)).singleElement().asString().contains("v1/Secret atrium: no API schema");
		ObjectNode oldDeployment = deployment().put("apiVersion", "apps/v1beta1");
		assertThat(violations(oldDeployment)).singleElement().asString().contains("no API schema");
	}

	@Test
	void theChartsArraysAreCheckedElementByElement() {
		ObjectNode deployment = deployment();
		ArrayNode env = (ArrayNode) deployment.at("/spec/template/spec/containers/0/env");
		env.addObject().put("name", "X").putObject("valueFrom").putObject("secretKeyRef").put("nam", "s");
		assertThat(violations(deployment)).anySatisfy((violation) -> assertThat(violation)
			.contains("/spec/template/spec/containers/0/env/" + (env.size() - 1) + "/valueFrom/secretKeyRef/nam"));
	}

	private static ObjectNode deployment() {
		return (ObjectNode) HelmChart.template().render().get("Deployment").deepCopy();
	}

	private static List<String> violations(JsonNode object) {
		return ApiSchemaValidator.violations(object);
	}

}
