package dev.atrium.gateway.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Validator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad configuration stops Atrium at start with a message that names the key and the
 * value.
 */
class AtriumPropertiesValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void aScenarioThatNamesAnUnknownTargetIsRejected() {
		this.runner
			.withPropertyValues("atrium.scenarios.internal.path=/internal", "atrium.scenarios.internal.targets=wether")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.scenarios.internal.targets names 'wether', which is not a target")
				.hasMessageContaining("known: demo"));
	}

	@Test
	void anAdvertisedReplicaUrlWithAPathIsRejected() {
		this.runner.withPropertyValues("atrium.replica.advertised-url=http://10.0.3.17:8080/internal")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.replica.advertised-url: replica address must be scheme, host and port"));
	}

	@Test
	void aZeroHandOffConnectTimeoutIsRejected() {
		this.runner
			.withPropertyValues("atrium.replica.advertised-url=http://10.0.3.17:8080",
					"atrium.replica.connect-timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.replica.connect-timeout must be > 0, was PT0S"));
	}

	@Test
	void aVerifiedTokenTtlOfZeroIsRejectedWithWhatToDoInstead() {
		this.runner
			.withPropertyValues("atrium.issuers.kc.type=oidc", "atrium.issuers.kc.issuer-uri=https://kc.example.com",
					"atrium.issuers.kc.jwks-uri=https://kc.example.com/jwks", "atrium.issuers.kc.verified-token-ttl=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.issuers.kc.verified-token-ttl must be > 0 (set verified-tokens: 0"));
	}

	@Test
	void aTargetWithoutUrlIsRejectedWithItsKey() {
		this.runner.withPropertyValues("atrium.targets.weather.prefix=w")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.weather needs one of url, agentcore.runtime-arn, openapi.spec, lambda.function-name or regions, not none"));
	}

	@Test
	void anAgentCoreTargetNeedsAValidArnAndCredentialsTheRuntimeAccepts() {
		this.runner
			.withPropertyValues("atrium.targets.weather.agentcore.runtime-arn=arn:aws:lambda:us-east-1:123456789012:x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.weather.agentcore.runtime-arn: 'arn:aws:lambda")
				.hasMessageContaining(
						"atrium.targets.weather.credentials.type must be sigv4 or oauth2 for an AgentCore Runtime target, was none"));
	}

	@Test
	void eachRegionOfATargetNeedsOneEndpointAPriorityAndNoSharedSigningRegion() {
		this.runner.withPropertyValues("atrium.targets.crm.regions.us-east-1.url=https://us.example.com/mcp",
				"atrium.targets.crm.regions.us-east-1.priority=1",
				"atrium.targets.crm.regions.eu-west-1.url=https://eu.example.com/mcp",
				"atrium.targets.crm.regions.eu-west-1.agentcore.runtime-arn=arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/c-1",
				"atrium.targets.crm.regions.eu-west-1.priority=2",
				"atrium.targets.crm.regions.a-region-name-far-too-long-to-be-a-real-one.url=ftp://x",
				"atrium.targets.crm.regions.a-region-name-far-too-long-to-be-a-real-one.priority=3",
				"atrium.targets.crm.credentials.type=sigv4", "atrium.targets.crm.credentials.region=us-east-1",
				"atrium.targets.crm.failover.latency-threshold=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.crm.regions.eu-west-1 needs one of url or agentcore.runtime-arn")
				.hasMessageContaining(
						"atrium.targets.crm.regions.a-region-name-far-too-long-to-be-a-real-one: a region name is lower-case letters")
				.hasMessageContaining(
						"atrium.targets.crm.regions.a-region-name-far-too-long-to-be-a-real-one.url must be an http or https URL")
				.hasMessageContaining("atrium.targets.crm.credentials.region must be unset for a target with regions")
				.hasMessageContaining("atrium.targets.crm.failover.latency-threshold and recheck-after must be > 0"));
	}

	@Test
	void aRegionalTargetSignsForEachRegionWithoutARegionOfItsOwn() {
		this.runner
			.withPropertyValues("atrium.targets.crm.regions.us-east-1.url=https://us.example.com/mcp",
					"atrium.targets.crm.regions.us-east-1.priority=1",
					"atrium.targets.crm.regions.eu-west-1.url=https://eu.example.com/mcp",
					"atrium.targets.crm.regions.eu-west-1.priority=2", "atrium.targets.crm.credentials.type=sigv4",
					"atrium.targets.crm.credentials.service=execute-api")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aTargetWithBothUrlAndAgentCoreIsRejected() {
		this.runner.withPropertyValues("atrium.targets.weather.url=https://example.com/mcp",
				"atrium.targets.weather.agentcore.runtime-arn=arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/w-1",
				"atrium.targets.weather.credentials.type=sigv4")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.weather needs one of url, agentcore.runtime-arn, openapi.spec, lambda.function-name or regions, not several"));
	}

	@Test
	void aTargetWithBothUrlAndOpenApiIsRejected() {
		this.runner
			.withPropertyValues("atrium.targets.pets.url=https://example.com/mcp",
					"atrium.targets.pets.openapi.spec=pets.yaml")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.pets needs one of url, agentcore.runtime-arn, openapi.spec, lambda.function-name or regions, not several"));
	}

	@Test
	void anOpenApiTargetNeedsAnHttpBaseUrlAndAPositiveTimeout() {
		this.runner
			.withPropertyValues("atrium.targets.pets.openapi.spec=pets.yaml",
					"atrium.targets.pets.openapi.base-url=ftp://example.com", "atrium.targets.pets.openapi.timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.pets.openapi.base-url must be an http or https URL, was 'ftp://example.com'")
				.hasMessageContaining("atrium.targets.pets.openapi.timeout must be > 0, was PT0S"));
	}

	@Test
	void twoScenariosOnOnePathAreRejected() {
		this.runner
			.withPropertyValues("atrium.scenarios.a.path=/same", "atrium.scenarios.a.targets=demo",
					"atrium.scenarios.b.path=/same", "atrium.scenarios.b.targets=demo")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'/same' is also the path of scenario"));
	}

	@Test
	void aPathWithoutLeadingSlashIsRejectedWithItsValue() {
		this.runner.withPropertyValues("atrium.scenarios.a.path=internal", "atrium.scenarios.a.targets=demo")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.scenarios[a].path")
				.hasMessageContaining("internal"));
	}

	@Test
	void aTargetUrlThatIsNotHttpIsRejected() {
		this.runner.withPropertyValues("atrium.targets.x.url=ftp://example.com/mcp")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.x.url must be an http or https URL, was 'ftp://example.com/mcp'"));
	}

	@Test
	void aShortSessionSecretIsRejected() {
		this.runner.withPropertyValues("atrium.session.keys[0].id=k1", "atrium.session.keys[0].secret=short")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.session.keys[0].secret"));
	}

	@Test
	void aScenarioWithoutIssuersMustSayItIsAnonymous() {
		this.runner
			.withPropertyValues("atrium.scenarios.internal.path=/internal", "atrium.scenarios.internal.targets=demo")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.scenarios.internal trusts no issuer"));
	}

	@Test
	void aScenarioNamingAnUnknownIssuerIsRejected() {
		this.runner
			.withPropertyValues("atrium.scenarios.internal.path=/internal", "atrium.scenarios.internal.targets=demo",
					"atrium.scenarios.internal.issuers=kc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.scenarios.internal.issuers names 'kc', which is not an issuer"));
	}

	@Test
	void anIssuerWithASymmetricAlgorithmIsRejected() {
		this.runner
			.withPropertyValues("atrium.issuers.kc.type=keycloak", "atrium.issuers.kc.issuer-uri=http://kc/realms/a",
					"atrium.issuers.kc.algorithms=HS256")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.issuers.kc.algorithms has 'HS256'"));
	}

	@Test
	void anOidcIssuerWithoutJwksUriIsDiscoveredNotRefused() {
		this.runner.withPropertyValues("atrium.issuers.idp.type=oidc", "atrium.issuers.idp.issuer-uri=https://idp")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aJsonDepthBelowOneIsRejectedWithItsKey() {
		this.runner.withPropertyValues("atrium.server.max-json-depth=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.server.maxJsonDepth")
				.hasMessageContaining("must be greater than or equal to 1"));
	}

	@Test
	void aBodyReadTimeoutOfZeroIsRejected() {
		this.runner.withPropertyValues("atrium.server.body-read-timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.server.body-read-timeout must be positive, was PT0S"));
	}

	@Test
	void theDefaultsAreValid() {
		this.runner
			.withPropertyValues("atrium.scenarios.internal.path=/internal", "atrium.scenarios.internal.targets=demo",
					"atrium.scenarios.internal.anonymous=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AtriumProperties properties = context.getBean(AtriumProperties.class);
				assertThat(properties.federation().maxNameLength()).isEqualTo(64);
				assertThat(properties.server().maxRequestBody().toMegabytes()).isEqualTo(1);
				assertThat(properties.server().maxJsonDepth()).isEqualTo(64);
				assertThat(properties.server().bodyReadTimeout()).hasSeconds(10);
				assertThat(properties.server().maxStreamsPerClient()).isEqualTo(32);
				assertThat(properties.server().maxJsonNumberLength()).isEqualTo(100);
			});
	}

	@Test
	void aShortStsKeySecretIsRejected() {
		this.runner.withPropertyValues("atrium.sts.key-secret=too-short")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.sts.key-secret must have at least 32 characters, had 9"));
	}

	@Test
	void anEmbeddedStsIssuerWithAnotherIssuerUriIsRejected() {
		this.runner.withPropertyValues("atrium.sts.issuer=https://atrium.example.com/sts",
				"atrium.issuers.sts.type=atrium-sts", "atrium.issuers.sts.issuer-uri=https://elsewhere.example.com/sts",
				"atrium.issuers.sts.algorithms=ES256")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.issuers.sts.issuer-uri must be atrium.sts.issuer"));
	}

	@Test
	void anEmbeddedStsIssuerWithoutEs256IsRejected() {
		this.runner.withPropertyValues("atrium.sts.issuer=https://atrium.example.com/sts",
				"atrium.issuers.sts.type=atrium-sts", "atrium.issuers.sts.issuer-uri=https://atrium.example.com/sts")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must include ES256"));
	}

	@Test
	void anEmbeddedStsIssuerWhileTheStsIsDisabledIsRejected() {
		this.runner.withPropertyValues("atrium.sts.enabled=false", "atrium.sts.issuer=https://atrium.example.com/sts",
				"atrium.issuers.sts.type=atrium-sts", "atrium.issuers.sts.issuer-uri=https://atrium.example.com/sts",
				"atrium.issuers.sts.algorithms=ES256")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.sts.enabled is false"));
	}

	@Test
	void anStsClientWithoutCredentialsIsRejected() {
		this.runner.withPropertyValues("atrium.sts.clients.agent.grant-types=token-exchange")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.sts.clients.agent needs a secret or jwks"));
	}

	@Test
	void aScenarioOnTheStsPathIsRejected() {
		this.runner
			.withPropertyValues("atrium.sts.issuer=https://atrium.example.com/sts", "atrium.scenarios.a.path=/sts",
					"atrium.scenarios.a.targets=demo", "atrium.scenarios.a.anonymous=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'/sts' is reserved by Atrium"));
	}

	@Test
	void aDefaultAudienceOutsideTheAudiencesIsRejected() {
		this.runner
			.withPropertyValues("atrium.sts.audiences=https://a.example.com/mcp",
					"atrium.sts.default-audience=https://b.example.com/mcp")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.sts.default-audience 'https://b.example.com/mcp' is not one of"));
	}

	@Test
	void aResilienceValueOutOfRangeIsRejectedWithItsKey() {
		this.runner
			.withPropertyValues("atrium.targets.x.url=http://127.0.0.1/mcp",
					"atrium.targets.x.resilience.circuit-breaker.failure-threshold=0",
					"atrium.resilience.retry.backoff.jitter=1.5", "atrium.resilience.timeouts.idle=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("targets[x].resilience.circuitBreaker.failureThreshold")
				.hasMessageContaining("atrium.resilience.retry.backoff.jitter")
				.hasMessageContaining("atrium.resilience.timeouts.idle"));
	}

	@Test
	void resilienceValuesThatDoNotFitTogetherAreRejectedWhereTheyAreSet() {
		this.runner
			.withPropertyValues("atrium.resilience.retry.backoff.initial=5s",
					"atrium.targets.x.url=http://127.0.0.1/mcp", "atrium.targets.x.resilience.circuit-breaker.window=3")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.resilience.retry.backoff.max (PT2S) must be at least " + "retry.backoff.initial (PT5S)")
				.hasMessageContaining("atrium.targets.x.resilience.circuit-breaker.window (3) must be at least "
						+ "circuit-breaker.failure-threshold (5)"));
	}

	@Test
	void aTargetOverridesTheResilienceValuesItSetsAndInheritsTheOthers() {
		this.runner
			.withPropertyValues("atrium.resilience.circuit-breaker.failure-threshold=10",
					"atrium.resilience.timeouts.first-byte=45s", "atrium.targets.x.url=http://127.0.0.1/mcp",
					"atrium.targets.x.resilience.bulkhead.max-concurrent-calls=60",
					"atrium.targets.x.resilience.timeouts.idle=10m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ResilienceProperties x = context.getBean(AtriumProperties.class).resilienceOf("x");
				assertThat(x.settings().breaker().failureThreshold()).isEqualTo(10);
				assertThat(x.settings().breaker().window()).isEqualTo(10);
				assertThat(x.settings().bulkhead().maxConcurrentCalls()).isEqualTo(60);
				assertThat(x.timeouts())
					.isEqualTo(new ResilienceProperties.Timeouts(Duration.ofSeconds(45), Duration.ofMinutes(10)));
				ResilienceProperties other = context.getBean(AtriumProperties.class).resilienceOf("demo");
				assertThat(other.settings().bulkhead().maxConcurrentCalls()).isEqualTo(100);
				assertThat(other.settings().breaker().openDuration()).isEqualTo(Duration.ofSeconds(60));
				assertThat(other.timeouts().idle()).isEqualTo(Duration.ofMinutes(5));
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AtriumProperties.class)
	static class PropertiesOnly {

		@Bean
		static Validator configurationPropertiesValidator() {
			return new AtriumPropertiesValidator();
		}

	}

}
