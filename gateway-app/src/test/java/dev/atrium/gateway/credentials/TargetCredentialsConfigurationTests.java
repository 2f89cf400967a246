package dev.atrium.gateway.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.config.AtriumPropertiesValidator;
import dev.atrium.mcp.client.credentials.ApiKeyCredentials;
import dev.atrium.mcp.client.credentials.OAuth2ClientCredentials;
import dev.atrium.mcp.client.credentials.OutboundCredentials;
import dev.atrium.mcp.client.credentials.OutgoingRequest;
import dev.atrium.mcp.client.credentials.SigV4Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Validator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code atrium.targets.*.credentials}: each type built from its properties, and a
 * missing or contradictory property stops the start with its name.
 */
class TargetCredentialsConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Infrastructure.class, TargetCredentialsConfiguration.class)
		.withPropertyValues("atrium.targets.t.url=https://target.example/mcp");

	@Test
	void aTargetWithoutCredentialsHasNone() {
		this.runner.run((context) -> assertThat(context.getBean(TargetCredentials.class).forTarget("t"))
			.isSameAs(OutboundCredentials.NONE));
	}

	@Test
	void anApiKeyFromAFileIsSentInItsHeader(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("key");
		Files.writeString(file, "k-123\n");
		this.runner
			.withPropertyValues("atrium.targets.t.credentials.type=api-key",
					"atrium.targets.t.credentials.header=X-Api-Key", "atrium.targets.t.credentials.key.file=" + file)
			.run((context) -> {
				OutboundCredentials credentials = context.getBean(TargetCredentials.class).forTarget("t");
				assertThat(credentials).isInstanceOf(ApiKeyCredentials.class);
				assertThat(credentials.headers(request()).block()).isEqualTo(Map.of("X-Api-Key", "k-123"));
			});
	}

	@Test
	void anApiKeyFromTheEnvironmentIsRead() {
		this.runner
			.withPropertyValues("atrium.targets.t.credentials.type=api-key",
					"atrium.targets.t.credentials.header=Authorization", "atrium.targets.t.credentials.prefix=Bearer",
					"atrium.targets.t.credentials.key.env=TARGET_T_KEY", "TARGET_T_KEY=from-env")
			.run((context) -> assertThat(
					context.getBean(TargetCredentials.class).forTarget("t").headers(request()).block())
				.isEqualTo(Map.of("Authorization", "Bearer from-env")));
	}

	@Test
	void anEnvironmentVariableThatIsNotSetStopsTheStart() {
		this.runner
			.withPropertyValues("atrium.targets.t.credentials.type=api-key",
					"atrium.targets.t.credentials.header=X-Api-Key",
					"atrium.targets.t.credentials.key.env=ATRIUM_TEST_UNSET_VARIABLE")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("atrium.targets.t.credentials.key.env names environment variable "
						+ "ATRIUM_TEST_UNSET_VARIABLE, which is not set"));
	}

	@Test
	void oauth2AndSigV4AreBuiltFromTheirProperties() {
		this.runner
			.withPropertyValues("atrium.targets.t.credentials.type=oauth2",
					"atrium.targets.t.credentials.token-endpoint=https://auth.example/oauth2/token",
					"atrium.targets.t.credentials.client-id=atrium",
					"atrium.targets.t.credentials.client-secret.value=s3cret",
					"atrium.targets.t.credentials.scopes=mcp/read,mcp/write",
					"atrium.targets.t.credentials.resource=https://target.example/mcp",
					"atrium.targets.aws.url=https://runtime.example/mcp", "atrium.targets.aws.credentials.type=sigv4",
					"atrium.targets.aws.credentials.region=us-east-1")
			.run((context) -> {
				TargetCredentials credentials = context.getBean(TargetCredentials.class);
				assertThat(credentials.forTarget("t")).isInstanceOf(OAuth2ClientCredentials.class);
				assertThat(credentials.forTarget("aws")).isInstanceOf(SigV4Credentials.class)
					.hasToString("SigV4Credentials[region=us-east-1, service=bedrock-agentcore]");
			});
	}

	@Test
	void aMissingOAuth2FieldIsNamed() {
		this.runner
			.withPropertyValues("atrium.targets.t.credentials.type=oauth2",
					"atrium.targets.t.credentials.token-endpoint=https://auth.example/oauth2/token",
					"atrium.targets.t.credentials.client-secret.env=SECRET")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.t.credentials.client-id is required for credentials type oauth2"));
	}

	@Test
	void aMissingSigV4RegionIsNamed() {
		this.runner.withPropertyValues("atrium.targets.t.credentials.type=sigv4")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.t.credentials.region is required for credentials type sigv4"));
	}

	@Test
	void aSecretWithTwoSourcesIsRefused() {
		this.runner
			.withPropertyValues("atrium.targets.t.credentials.type=api-key",
					"atrium.targets.t.credentials.header=X-Api-Key", "atrium.targets.t.credentials.key.value=a",
					"atrium.targets.t.credentials.key.env=B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.t.credentials.key must set exactly one of value, env, file "
						+ "and aws-secret, had 2"));
	}

	@Test
	void anStsTokenIdentityAndAnAuthorizationCredentialAreRefusedTogether() {
		this.runner
			.withPropertyValues("atrium.targets.t.identity=sts-token", "atrium.targets.t.credentials.type=sigv4",
					"atrium.targets.t.credentials.region=us-east-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.t.identity is sts-token, whose token travels in Authorization, "
						+ "and atrium.targets.t.credentials.type sigv4 sets Authorization too: choose one"));
	}

	private static OutgoingRequest request() {
		return new OutgoingRequest("POST", java.net.URI.create("https://target.example/mcp"), Map.of(), new byte[0]);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AtriumProperties.class)
	static class Infrastructure {

		@Bean
		static Validator configurationPropertiesValidator() {
			return new AtriumPropertiesValidator();
		}

		@Bean
		HttpClient targetHttpClient() {
			return HttpClient.create();
		}

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

}
