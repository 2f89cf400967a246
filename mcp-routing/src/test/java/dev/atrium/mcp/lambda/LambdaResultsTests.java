package dev.atrium.mcp.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a function answers, as a tool result; and what it is told about the call. */
class LambdaResultsTests {

	@Test
	void aJsonObjectIsTextAndStructuredContent() {
		assertThat(LambdaResults.of(null, bytes("{\"celsius\":21}")).toString()).isEqualTo(
				"""
						{"content":[{"type":"text","text":"{\\"celsius\\":21}"}],"isError":false,"structuredContent":{"celsius":21}}""");
	}

	@Test
	void otherJsonIsTextOnly() {
		assertThat(LambdaResults.of(null, bytes("[1,2]")).toString())
			.isEqualTo("{\"content\":[{\"type\":\"text\",\"text\":\"[1,2]\"}],\"isError\":false}");
		assertThat(LambdaResults.of(null, bytes("\"sunny\"")).path("content").get(0).path("text").asString())
			.isEqualTo("\"sunny\"");
		assertThat(LambdaResults.of(null, bytes("null")).has("structuredContent")).isFalse();
	}

	@Test
	void aFunctionErrorIsAToolErrorWithItsMessageAndWithoutItsStackTrace() {
		String payload = """
				{"errorMessage":"city unknown","errorType":"ValueError","stackTrace":["  File \\"/var/task/app.py\\""]}""";
		assertThat(LambdaResults.of("Unhandled", bytes(payload)).toString())
			.isEqualTo("{\"content\":[{\"type\":\"text\",\"text\":\"city unknown\"}],\"isError\":true}");
	}

	@Test
	void aFunctionErrorWithoutAMessageSaysWhichKind() {
		assertThat(LambdaResults.of("Unhandled", bytes("{}")).path("content").get(0).path("text").asString())
			.isEqualTo("The function failed (Unhandled)");
		assertThat(LambdaResults.of("Handled", bytes("bad things")).path("content").get(0).path("text").asString())
			.isEqualTo("bad things");
	}

	@Test
	void theClientContextNamesTheToolAsAgentCoreGatewayDoes() {
		String decoded = new String(Base64.getDecoder().decode(LambdaClientContext.encode("weather", "get_forecast")),
				StandardCharsets.UTF_8);
		assertThat(decoded).isEqualTo("""
				{"custom":{"bedrockAgentCoreGatewayId":"atrium","bedrockAgentCoreTargetId":"weather",\
				"bedrockAgentCoreMessageVersion":"1.0","bedrockAgentCoreToolName":"weather___get_forecast"}}""");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
