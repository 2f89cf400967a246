package dev.atrium.mcp.lambda;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tools of a Lambda target as configured, and the configuration errors they name. */
class LambdaToolTests {

	private static final String SCHEMA = """
			{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

	@Test
	void aToolIsListedWithItsSchemasTitleAndHints() {
		LambdaTool tool = LambdaTool.of("get_weather", "Weather", "The weather of a city", SCHEMA,
				"{\"type\":\"object\",\"properties\":{\"celsius\":{\"type\":\"number\"}}}",
				new ToolHints(true, false, true, null));
		assertThat(tool.name()).isEqualTo("get_weather");
		assertThat(tool.definition().toString()).isEqualTo("""
				{"name":"get_weather","title":"Weather","description":"The weather of a city",\
				"inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},\
				"outputSchema":{"type":"object","properties":{"celsius":{"type":"number"}}},\
				"annotations":{"readOnlyHint":true,"destructiveHint":false,"idempotentHint":true}}""");
	}

	@Test
	void unsetPartsAreLeftOut() {
		LambdaTool tool = LambdaTool.of("ping", null, null, "{\"type\":\"object\"}", null, ToolHints.NONE);
		assertThat(tool.definition().toString()).isEqualTo("{\"name\":\"ping\",\"inputSchema\":{\"type\":\"object\"}}");
	}

	@Test
	void aNameOutsideTheMcpRulesIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LambdaTool.of("get weather", null, null, SCHEMA, null, null))
			.withMessage("name must be 1 to 128 letters, digits, '_', '-' or '.', was 'get weather'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LambdaTool.of("x".repeat(129), null, null, SCHEMA, null, null))
			.withMessageStartingWith("name must be 1 to 128");
		assertThat(LambdaTool.of("a-b.c_D9", null, null, SCHEMA, null, null).name()).isEqualTo("a-b.c_D9");
	}

	@Test
	void anInputSchemaThatIsNotJsonIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LambdaTool.of("t", null, null, "{type: object", null, null))
			.withMessageStartingWith("input-schema is not JSON: ");
	}

	@Test
	void aSchemaThatIsNotOfTypeObjectIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LambdaTool.of("t", null, null, "{\"type\":\"string\"}", null, null))
			.withMessage("input-schema must be a JSON object with \"type\": \"object\", was {\"type\":\"string\"}");
		assertThatIllegalArgumentException().isThrownBy(() -> LambdaTool.of("t", null, null, SCHEMA, "[]", null))
			.withMessageStartingWith("output-schema must be a JSON object");
	}

	@Test
	void anInputSchemaIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> LambdaTool.of("t", null, null, " ", null, null))
			.withMessage("input-schema is required: a JSON Schema as JSON text");
	}

}
