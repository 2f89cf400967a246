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

	@Test
	void secretFilesMountExistingSecretsReadOnlyAsDirectories() {
		Manifests manifests = HelmChart.template().values("""
				secretFiles:
				  - secretName: crm-oauth-client
				    mountPath: /var/run/secrets/atrium/crm
				    items: [{key: client-secret, path: client-secret}]
				  - {secretName: search-api, mountPath: /var/run/secrets/atrium/search}
				""").render();
		JsonNode volumes = manifests.podSpec().path("volumes");
		JsonNode crm = volume(volumes, "secret-files-0");
		assertThat(crm.at("/secret/secretName").asString()).isEqualTo("crm-oauth-client");
		assertThat(crm.at("/secret/defaultMode").asInt()).isEqualTo(0440);
		assertThat(crm.at("/secret/items/0/key").asString()).isEqualTo("client-secret");
		assertThat(volume(volumes, "secret-files-1").at("/secret/items").isMissingNode()).isTrue();
		JsonNode mounts = manifests.container().path("volumeMounts");
		JsonNode crmMount = volume(mounts, "secret-files-0");
		assertThat(crmMount.path("mountPath").asString()).isEqualTo("/var/run/secrets/atrium/crm");
		assertThat(crmMount.path("readOnly").asBoolean()).isTrue();
		// A subPath mount would never see a rotated Secret.
		assertThat(crmMount.has("subPath")).isFalse();
		assertThat(volume(mounts, "secret-files-1").path("mountPath").asString())
			.isEqualTo("/var/run/secrets/atrium/search");
		assertThat(manifests.kinds()).doesNotContain("Secret");
	}

	@Test
	void targetCredentialsFromAMountedFileAnEnvironmentVariableOrSecretsManagerAreAccepted() {
		Manifests manifests = HelmChart.template()
			.values("""
					atrium:
					  targets:
					    crm:
					      credentials:
					        type: oauth2
					        client-id: atrium
					        client-secret: {file: /var/run/secrets/atrium/crm/client-secret}
					    weather:
					      credentials: {type: api-key, header: X-Api-Key, key: {env: WEATHER_API_KEY}}
					    search:
					      credentials: {type: api-key, header: X-Api-Key, key: {aws-secret: prod/atrium/search, key: api_key}}
					secretFiles:
					  - {secretName: crm-oauth-client, mountPath: /var/run/secrets/atrium/crm}
					secretEnv:
					  - {name: WEATHER_API_KEY, secretKeyRef: {name: weather-api, key: api-key}}
					""")
			.render();
		assertThat(manifests.applicationYaml().at("/atrium/targets/crm/credentials/client-secret/file").asString())
			.isEqualTo("/var/run/secrets/atrium/crm/client-secret");
		assertThat(manifests.applicationYaml().at("/atrium/targets/weather/credentials/key/env").asString())
			.isEqualTo("WEATHER_API_KEY");
		assertThat(manifests.env().get("WEATHER_API_KEY").at("/valueFrom/secretKeyRef/name").asString())
			.isEqualTo("weather-api");
	}

	@ParameterizedTest
	@ValueSource(strings = { "key", "client-secret", "access-key-id", "secret-access-key", "session-token" })
	void anInlineTargetCredentialIsRefused(String field) {
		String error = HelmChart.template()
			.values("atrium: {targets: {crm: {credentials: {" + field + ": {value: s3cr3t}}}}}")
			.failure();
		assertThat(error).contains("atrium.targets.crm.credentials." + field + " is an inline secret")
			.contains("secretEnv")
			.contains("secretFiles")
			.doesNotContain("s3cr3t");
		assertThat(HelmChart.template()
			.values("atrium: {targets: {crm: {credentials: {" + field + ": s3cr3t}}}}")
			.failure()).contains("is an inline secret");
	}

	@Test
	void aCredentialFileOutsideEveryMountedVolumeIsRefused() {
		String error = HelmChart.template()
			.values("""
					atrium: {targets: {crm: {credentials: {client-secret: {file: /var/run/secrets/atrium/crm/client-secret}}}}}
					secretFiles: [{secretName: crm, mountPath: /var/run/secrets/atrium/cr}]
					""")
			.failure();
		assertThat(error).contains("atrium.targets.crm.credentials.client-secret reads the file")
			.contains("secretFiles");
	}

	@Test
	void aCredentialEnvironmentVariableThePodDoesNotHaveIsRefused() {
		String error = HelmChart.template()
			.values("atrium: {targets: {weather: {credentials: {key: {env: WEATHER_API_KEY}}}}}")
			.failure();
		assertThat(error)
			.contains("atrium.targets.weather.credentials.key reads the environment variable WEATHER_API_KEY")
			.contains("secretEnv");
	}

	@Test
	void twoVolumesAtOneMountPathAreRefused() {
		String error = HelmChart.template().values("""
				secretFiles:
				  - {secretName: a, mountPath: /var/run/secrets/atrium/x}
				  - {secretName: b, mountPath: /var/run/secrets/atrium/x}
				""").failure();
		assertThat(error).contains("/var/run/secrets/atrium/x");
	}

	@Test
	void aRelativeSecretFilesMountPathIsRefusedByTheSchema() {
		assertThat(HelmChart.template().values("secretFiles: [{secretName: a, mountPath: secrets/atrium}]").failure())
			.contains("/secretFiles/0/mountPath");
	}

	private static JsonNode volume(JsonNode volumes, String name) {
		for (JsonNode volume : volumes) {
			if (name.equals(volume.path("name").asString())) {
				return volume;
			}
		}
		throw new AssertionError("no volume " + name + " in " + volumes);
	}

}
