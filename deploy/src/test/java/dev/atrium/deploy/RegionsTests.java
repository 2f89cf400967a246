package dev.atrium.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two regions behind Route 53, and EU data residency for eu-west-1.
 */
class RegionsTests {

	private static final Pattern AWS_HOST = Pattern.compile("[a-z0-9.-]+\\.amazonaws\\.com");

	@Test
	void euConfigurationThatNamesAnotherRegionIsRefused() {
		assertThat(HelmChart.template()
			.example("production-eu-west-1")
			.set("atrium.issuers.cognito-m2m.issuer-uri", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC")
			.failure()).contains("dataResidency.regions allows eu-west-1, but the configuration names us-east-1");
		assertThat(HelmChart.template().example("production-eu-west-1").set("aws.region", "eu-central-1").failure())
			.contains("names eu-central-1");
		assertThat(HelmChart.template()
			.example("production-eu-west-1")
			.set("springConfig.management.otlp.tracing.endpoint", "https://otlp.ap-southeast-2.example.com/v1/traces")
			.failure()).contains("names ap-southeast-2");
	}

	@Test
	void withoutResidencyRegionsAnyRegionMayBeNamed() {
		JsonNode rendered = HelmChart.template()
			.set("atrium.issuers.cognito.issuer-uri", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC")
			.set("aws.region", "eu-west-1")
			.render()
			.applicationYaml();
		assertThat(rendered.at("/atrium/issuers/cognito/issuer-uri").asString()).contains("us-east-1");
	}

	@Test
	void euExampleKeepsItsAwsEndpointsAndImageInEuWest1() {
		Manifests eu = HelmChart.template().example("production-eu-west-1").render();
		Matcher hosts = AWS_HOST.matcher(eu.applicationYamlText());
		int found = 0;
		while (hosts.find()) {
			assertThat(hosts.group()).contains(".eu-west-1.");
			found++;
		}
		assertThat(found).isPositive();
		assertThat(eu.container().path("image").asString()).contains(".dkr.ecr.eu-west-1.amazonaws.com/");
		assertThat(eu.envValue("AWS_REGION")).isEqualTo("eu-west-1");
		assertThat(eu.get("Ingress").at("/metadata/annotations/alb.ingress.kubernetes.io~1certificate-arn").asString())
			.startsWith("arn:aws:acm:eu-west-1:");
	}

	@Test
	void bothRegionsAnswerTheGlobalNameAndExposeHealthForRoute53() {
		Manifests us = HelmChart.template().example("production-us-east-1").render();
		Manifests eu = HelmChart.template().example("production-eu-west-1").render();
		for (Manifests region : new Manifests[] { us, eu }) {
			JsonNode rules = region.get("Ingress").at("/spec/rules");
			assertThat(rules).extracting((rule) -> rule.path("host").asString()).contains("mcp.example.com");
			rules.forEach((rule) -> assertThat(rule.at("/http/paths"))
				.anySatisfy((path) -> assertThat(path.path("path").asString()).isEqualTo("/health")));
			assertThat(region.applicationYaml().at("/atrium/server/allowed-hosts")).extracting(JsonNode::asString)
				.contains("mcp.example.com");
			assertThat(region.applicationYaml().at("/atrium/issuers/keycloak-ide/audiences/0").asString())
				.as("tokens are for the global name, valid in either region")
				.isEqualTo("https://mcp.example.com/internal/mcp");
		}
		assertThat(us.envValue("ATRIUM_SESSION_KEYS_0_ID")).isNotEqualTo(eu.envValue("ATRIUM_SESSION_KEYS_0_ID"));
	}

}
