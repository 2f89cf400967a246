package dev.atrium.deploy;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets come from existing Kubernetes Secrets by reference, never from values.
 */
class SecretsTests {

	private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(SECRET|PASSWORD|TOKEN|API_?KEY).*");

	@ParameterizedTest
	@ValueSource(strings = { "production-us-east-1", "production-eu-west-1", "poc" })
	void secretLookingVariablesComeOnlyFromSecretKeyRefs(String example) {
		Manifests manifests = HelmChart.template().example(example).render();
		for (Map.Entry<String, JsonNode> variable : manifests.env().entrySet()) {
			if (SECRET_NAME.matcher(variable.getKey()).matches()) {
				assertThat(variable.getValue().has("value")).as(variable.getKey()).isFalse();
				assertThat(variable.getValue().at("/valueFrom/secretKeyRef/name").asString()).as(variable.getKey())
					.isNotBlank();
			}
		}
		assertThat(manifests.kinds()).doesNotContain("Secret");
	}

	@Test
	void sessionKeyRingComesFromSecretsInItsOrder() {
		Manifests manifests = HelmChart.template().values("""
				sessionKeys:
				  - {id: k2, existingSecret: atrium-session-keys, key: k2}
				  - {id: k1, existingSecret: atrium-session-keys-old, key: secret}
				""").render();
		assertThat(manifests.envValue("ATRIUM_SESSION_KEYS_0_ID")).isEqualTo("k2");
		assertThat(manifests.envValue("ATRIUM_SESSION_KEYS_1_ID")).isEqualTo("k1");
		JsonNode first = manifests.env().get("ATRIUM_SESSION_KEYS_0_SECRET").at("/valueFrom/secretKeyRef");
		assertThat(first.path("name").asString()).isEqualTo("atrium-session-keys");
		assertThat(first.path("key").asString()).isEqualTo("k2");
		JsonNode second = manifests.env().get("ATRIUM_SESSION_KEYS_1_SECRET").at("/valueFrom/secretKeyRef");
		assertThat(second.path("name").asString()).isEqualTo("atrium-session-keys-old");
		assertThat(second.path("key").asString()).isEqualTo("secret");
		assertThat(manifests.applicationYaml().at("/atrium/session/keys").isMissingNode()).isTrue();
	}

	@Test
	void anInlineSessionKeySecretIsRefusedByTheSchema() {
		String error = HelmChart.template().values("""
				sessionKeys:
				  - {id: k1, secret: c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==}
				""").failure();
		assertThat(error).contains("/sessionKeys/0").contains("secret").contains("existingSecret");
	}

	@Test
	void anInlineSecretEnvValueIsRefusedByTheSchema() {
		String error = HelmChart.template().values("""
				secretEnv:
				  - {name: WEATHER_API_KEY, value: abc123}
				""").failure();
		assertThat(error).contains("/secretEnv/0").contains("secretKeyRef");
	}

	@Test
	void sessionKeysWrittenUnderAtriumAreRefused() {
		String error = HelmChart.template().values("""
				atrium:
				  session:
				    keys:
				      - {id: k1, secret: c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==}
				""").failure();
		assertThat(error).contains("atrium.session.keys").contains("sessionKeys");
	}

	@ParameterizedTest
	@ValueSource(strings = { "atrium.targets.weather.headers.X-API-Key", "atrium.targets.weather.headers.Authorization",
			"atrium.issuers.partner.client-secret", "springConfig.spring.data.redis.password" })
	void anInlineSecretInTheConfigurationIsRefused(String property) {
		String error = HelmChart.template().set(property, "s3cr3t-value").failure();
		assertThat(error).contains("inline secret").contains("secretEnv").contains("${VARIABLE}");
	}

	@Test
	void aPlaceholderFilledFromASecretIsAccepted() {
		Manifests manifests = HelmChart.template().values("""
				atrium:
				  targets:
				    weather:
				      url: https://weather.example.com/mcp
				      headers:
				        X-API-Key: ${WEATHER_API_KEY}
				secretEnv:
				  - name: WEATHER_API_KEY
				    secretKeyRef: {name: weather-api, key: api-key}
				""").render();
		assertThat(manifests.applicationYaml().at("/atrium/targets/weather/headers/X-API-Key").asString())
			.isEqualTo("${WEATHER_API_KEY}");
		JsonNode reference = manifests.env().get("WEATHER_API_KEY").at("/valueFrom/secretKeyRef");
		assertThat(reference.path("name").asString()).isEqualTo("weather-api");
		assertThat(reference.path("key").asString()).isEqualTo("api-key");
	}

	@Test
	void aPlaceholderWithADefaultIsRefusedBecauseTheDefaultCouldBeTheSecret() {
		String error = HelmChart.template()
			.values("atrium: {targets: {weather: {headers: {X-API-Key: '${WEATHER_API_KEY:s3cr3t}'}}}}")
			.failure();
		assertThat(error).contains("inline secret");
	}

	@Test
	void aSecretLookingExtraEnvWithALiteralValueIsRefused() {
		String error = HelmChart.template().values("""
				extraEnv:
				  - {name: OAUTH_CLIENT_SECRET, value: s3cr3t}
				""").failure();
		assertThat(error).contains("OAUTH_CLIENT_SECRET").contains("secretEnv");
		Manifests plain = HelmChart.template().values("""
				extraEnv:
				  - {name: LOGGING_LEVEL_DEV_ATRIUM, value: DEBUG}
				""").render();
		assertThat(plain.envValue("LOGGING_LEVEL_DEV_ATRIUM")).isEqualTo("DEBUG");
	}

	@Test
	void morePodsThanOneWithoutSessionKeysAreRefused() {
		String error = HelmChart.template().values("sessionKeys: []").failure();
		assertThat(error).contains("sessionKeys is empty but more than one pod can run");
		assertThat(HelmChart.template()
			.values("sessionKeys: []\nautoscaling: {enabled: false}\nreplicaCount: 2\npodDisruptionBudget: {enabled: false}")
			.failure()).contains("sessionKeys is empty");
		HelmChart.template()
			.values("sessionKeys: []\nautoscaling: {enabled: false}\nreplicaCount: 1\npodDisruptionBudget: {enabled: false}")
			.render();
	}

	@Test
	void aSessionKeyIdUsedTwiceIsRefused() {
		String error = HelmChart.template().values("""
				sessionKeys:
				  - {id: k1, existingSecret: a, key: one}
				  - {id: k1, existingSecret: a, key: two}
				""").failure();
		assertThat(error).contains("\"k1\" twice");
	}

	@Test
	void theStsKeySecretComesFromAnExistingSecret() {
		Manifests manifests = HelmChart.template()
			.values("stsKeySecret: {existingSecret: atrium-sts, key: key-secret}")
			.render();
		JsonNode reference = manifests.env().get("ATRIUM_STS_KEYSECRET").at("/valueFrom/secretKeyRef");
		assertThat(reference.path("name").asString()).isEqualTo("atrium-sts");
		assertThat(reference.path("key").asString()).isEqualTo("key-secret");
		assertThat(HelmChart.template().render().env()).doesNotContainKey("ATRIUM_STS_KEYSECRET");
	}

	@Test
	void stsClientsOnMorePodsThanOneWithoutAStsKeySecretAreRefused() {
		String clients = """
				atrium:
				  sts:
				    clients:
				      agent: {secret: "${AGENT_SECRET}", grant-types: [token-exchange]}
				""";
		assertThat(HelmChart.template().values(clients).failure()).contains("stsKeySecret is not set");
		HelmChart.template().values(clients + "stsKeySecret: {existingSecret: atrium-sts, key: key-secret}\n").render();
		HelmChart.template()
			.values(clients + "autoscaling: {enabled: false}\nreplicaCount: 1\npodDisruptionBudget: {enabled: false}\n")
			.render();
	}

	@Test
	void aStsKeySecretWithoutItsKeyIsRefused() {
		assertThat(HelmChart.template().values("stsKeySecret: {existingSecret: atrium-sts}").failure())
			.contains("stsKeySecret");
	}

}
