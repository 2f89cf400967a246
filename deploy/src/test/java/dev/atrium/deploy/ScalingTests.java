package dev.atrium.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Autoscaling and disruption: the seed's 2 to 20 pods at 70% CPU, one eviction at a time.
 */
class ScalingTests {

	@Test
	void autoscalerKeepsTwoToTwentyPodsAtSeventyPercentCpu() {
		Manifests manifests = HelmChart.template().render();
		JsonNode hpa = manifests.get("HorizontalPodAutoscaler");
		assertThat(hpa.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
		assertThat(hpa.at("/spec/scaleTargetRef/kind").asString()).isEqualTo("Deployment");
		assertThat(hpa.at("/spec/scaleTargetRef/name").asString())
			.isEqualTo(manifests.get("Deployment").at("/metadata/name").asString());
		assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(2);
		assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(20);
		assertThat(hpa.at("/spec/metrics")).hasSize(1);
		assertThat(hpa.at("/spec/metrics/0/resource/name").asString()).isEqualTo("cpu");
		assertThat(hpa.at("/spec/metrics/0/resource/target/type").asString()).isEqualTo("Utilization");
		assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(70);
		assertThat(manifests.container().at("/resources/requests/cpu").asString())
			.as("utilization is measured against the request")
			.isNotBlank();
	}

	@Test
	void replicasAreLeftToTheAutoscalerWhenItRuns() {
		assertThat(HelmChart.template().render().get("Deployment").at("/spec/replicas").isMissingNode()).isTrue();
		Manifests fixed = HelmChart.template().set("autoscaling.enabled", false).set("replicaCount", 3).render();
		assertThat(fixed.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(3);
		assertThat(fixed.find("HorizontalPodAutoscaler")).isEmpty();
	}

	@Test
	void memoryBecomesASecondMetricWhenAsked() {
		JsonNode hpa = HelmChart.template()
			.set("autoscaling.targetMemoryUtilizationPercentage", 80)
			.render()
			.get("HorizontalPodAutoscaler");
		assertThat(hpa.at("/spec/metrics")).hasSize(2);
		assertThat(hpa.at("/spec/metrics/1/resource/name").asString()).isEqualTo("memory");
		assertThat(hpa.at("/spec/metrics/1/resource/target/averageUtilization").asInt()).isEqualTo(80);
	}

	@Test
	void minReplicasAboveMaxReplicasIsRefused() {
		assertThat(HelmChart.template().set("autoscaling.minReplicas", 5).set("autoscaling.maxReplicas", 3).failure())
			.contains("autoscaling.minReplicas (5) is greater than autoscaling.maxReplicas (3)");
	}

	@Test
	void disruptionBudgetAllowsOneEvictionAtATime() {
		Manifests manifests = HelmChart.template().render();
		JsonNode pdb = manifests.get("PodDisruptionBudget");
		assertThat(pdb.path("apiVersion").asString()).isEqualTo("policy/v1");
		assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
		assertThat(pdb.at("/spec/minAvailable").isMissingNode()).isTrue();
		assertThat(pdb.at("/spec/selector/matchLabels"))
			.isEqualTo(manifests.get("Deployment").at("/spec/selector/matchLabels"));
	}

	@Test
	void disruptionBudgetsThatWouldBlockNodeDrainsAreRefused() {
		assertThat(HelmChart.template().set("podDisruptionBudget.maxUnavailable", 0).failure())
			.contains("maxUnavailable is 0");
		assertThat(
				HelmChart.template().values("podDisruptionBudget: {maxUnavailable: null, minAvailable: 2}").failure())
			.contains("minAvailable (2) is not below the fewest pods that run (2)");
		JsonNode allowed = HelmChart.template()
			.values("podDisruptionBudget: {maxUnavailable: null, minAvailable: 1}")
			.render()
			.get("PodDisruptionBudget");
		assertThat(allowed.at("/spec/minAvailable").asInt()).isEqualTo(1);
		assertThat(allowed.at("/spec/maxUnavailable").isMissingNode()).isTrue();
	}

	@Test
	void proofOfConceptRunsOnePodWithoutAutoscalerOrDisruptionBudget() {
		Manifests poc = HelmChart.template().example("poc").render();
		assertThat(poc.get("Deployment").at("/spec/replicas").asInt()).isEqualTo(1);
		assertThat(poc.kinds()).doesNotContain("HorizontalPodAutoscaler", "PodDisruptionBudget");
		assertThat(poc.podSpec().has("topologySpreadConstraints")).isFalse();
	}

	@Test
	void productionExamplesScaleToTwentyPodsAndSpreadAcrossZones() {
		for (String example : new String[] { "production-us-east-1", "production-eu-west-1" }) {
			Manifests manifests = HelmChart.template().example(example).render();
			JsonNode hpa = manifests.get("HorizontalPodAutoscaler");
			assertThat(hpa.at("/spec/minReplicas").asInt()).as(example).isGreaterThanOrEqualTo(2);
			assertThat(hpa.at("/spec/maxReplicas").asInt()).as(example).isEqualTo(20);
			assertThat(hpa.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).as(example).isEqualTo(70);
			assertThat(manifests.find("PodDisruptionBudget")).as(example).isPresent();
			assertThat(manifests.podSpec().at("/topologySpreadConstraints/0/topologyKey").asString()).as(example)
				.isEqualTo("topology.kubernetes.io/zone");
		}
	}

}
