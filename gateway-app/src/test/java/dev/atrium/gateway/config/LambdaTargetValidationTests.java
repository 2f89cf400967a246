package dev.atrium.gateway.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Lambda target configured wrongly stops Atrium at start, with a message that names the
 * property.
 */
class LambdaTargetValidationTests {

	private static final String FUNCTION = "atrium.targets.weather.lambda.function-name=weather-tools";

	private static final String TOOL_NAME = "atrium.targets.weather.lambda.tools[0].name=get_forecast";

	private static final String TOOL_SCHEMA = "atrium.targets.weather.lambda.tools[0].input-schema={\"type\":\"object\"}";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(AtriumPropertiesValidationTests.PropertiesOnly.class);

	@Test
	void aFunctionWithAToolStarts() {
		this.runner.withPropertyValues(FUNCTION, TOOL_NAME, TOOL_SCHEMA)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aLambdaTargetWithAUrlTooIsRejected() {
		this.runner.withPropertyValues(FUNCTION, TOOL_NAME, TOOL_SCHEMA, "atrium.targets.weather.url=https://x/mcp")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.weather needs one of url, agentcore.runtime-arn, openapi.spec, "
						+ "lambda.function-name or regions, not several"));
	}

	@Test
	void aFunctionWithoutToolsIsRejected() {
		this.runner.withPropertyValues(FUNCTION)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("targets[weather].lambda.tools"));
	}

	@Test
	void aToolWithABadNameOrSchemaIsRejectedWithItsIndex() {
		this.runner
			.withPropertyValues(FUNCTION, "atrium.targets.weather.lambda.tools[0].name=get forecast", TOOL_SCHEMA,
					"atrium.targets.weather.lambda.tools[1].name=alerts",
					"atrium.targets.weather.lambda.tools[1].input-schema={\"type\":\"array\"}",
					"atrium.targets.weather.lambda.tools[2].name=alerts",
					"atrium.targets.weather.lambda.tools[2].input-schema={not json")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.weather.lambda.tools[0].name must be 1 to 128 letters, digits, "
						+ "'_', '-' or '.', was 'get forecast'")
				.hasMessageContaining("atrium.targets.weather.lambda.tools[1].input-schema must be a JSON object "
						+ "with \"type\": \"object\", was {\"type\":\"array\"}")
				.hasMessageContaining("atrium.targets.weather.lambda.tools[2].input-schema is not JSON")
				.hasMessageContaining(
						"atrium.targets.weather.lambda.tools[2].name 'alerts' is also the name of tools[1]"));
	}

	@Test
	void aBadEndpointOrTimeoutIsRejected() {
		this.runner.withPropertyValues(FUNCTION, TOOL_NAME, TOOL_SCHEMA,
				"atrium.targets.weather.lambda.endpoint=ftp://lambda.local", "atrium.targets.weather.lambda.timeout=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining(
						"atrium.targets.weather.lambda.endpoint must be an http or https URL, was 'ftp://lambda.local'")
				.hasMessageContaining("atrium.targets.weather.lambda.timeout must be > 0, was PT0S"));
	}

	@Test
	void credentialsOtherThanNoneOrSigV4AreRejected() {
		this.runner
			.withPropertyValues(FUNCTION, TOOL_NAME, TOOL_SCHEMA, "atrium.targets.weather.credentials.type=api-key",
					"atrium.targets.weather.credentials.header=X-Api-Key",
					"atrium.targets.weather.credentials.key.value=k")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.weather.credentials.type must be none (the AWS SDK's default "
						+ "credentials) or sigv4 (static keys) for a Lambda target, was api-key"));
	}

	@Test
	void sigV4SignsForTheLambdaRegionNotACredentialsRegion() {
		this.runner
			.withPropertyValues(FUNCTION, TOOL_NAME, TOOL_SCHEMA, "atrium.targets.weather.credentials.type=sigv4",
					"atrium.targets.weather.credentials.region=us-east-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.weather.credentials.region is not used by a Lambda target: "
						+ "set atrium.targets.weather.lambda.region"));
	}

	@Test
	void sigV4WithoutARegionIsAcceptedForALambdaTarget() {
		this.runner
			.withPropertyValues(FUNCTION, TOOL_NAME, TOOL_SCHEMA, "atrium.targets.weather.lambda.region=eu-west-1",
					"atrium.targets.weather.credentials.type=sigv4",
					"atrium.targets.weather.credentials.access-key-id.value=AKIDEXAMPLE",
					"atrium.targets.weather.credentials.secret-access-key.value=secret")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void theRegionOfAFunctionArnIsItsRegion() {
		this.runner
			.withPropertyValues(
					"atrium.targets.weather.lambda.function-name=arn:aws:lambda:eu-west-1:123456789012:function:w",
					TOOL_NAME, TOOL_SCHEMA)
			.run((context) -> {
				AtriumProperties.Lambda lambda = context.getBean(AtriumProperties.class)
					.targets()
					.get("weather")
					.lambda();
				assertThat(lambda.arnRegion()).isEqualTo("eu-west-1");
				assertThat(lambda.timeout()).hasSeconds(30);
			});
	}

}
