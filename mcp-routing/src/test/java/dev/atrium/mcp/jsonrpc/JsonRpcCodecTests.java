package dev.atrium.mcp.jsonrpc;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonRpcCodecTests {

	private final JsonRpcCodec codec = new JsonRpcCodec();

	@Test
	void requestNotificationAndResponseAreToldApart() {
		assertThat(read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").kind())
			.isEqualTo(JsonRpcMessage.Kind.REQUEST);
		assertThat(read("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").kind())
			.isEqualTo(JsonRpcMessage.Kind.NOTIFICATION);
		assertThat(read("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}").kind())
			.isEqualTo(JsonRpcMessage.Kind.RESPONSE);
	}

	@Test
	void unknownFieldsPassThroughUntouched() {
		JsonRpcMessage message = read(
				"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"_meta\":{\"k\":[1,2]}},\"extra\":true}");
		assertThat(new String(this.codec.write(message), StandardCharsets.UTF_8)).contains("\"extra\":true")
			.contains("\"_meta\":{\"k\":[1,2]}");
	}

	@Test
	void invalidJsonIsAParseError() {
		assertError("{\"jsonrpc\":", JsonRpcError.PARSE_ERROR);
		assertError("", JsonRpcError.PARSE_ERROR);
	}

	@Test
	void batchesAreRefused() {
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(() -> read("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(JsonRpcError.INVALID_REQUEST))
			.withMessageContaining("batches are not supported");
	}

	@Test
	void malformedMessagesAreInvalidRequests() {
		assertError("{\"id\":1,\"method\":\"ping\"}", JsonRpcError.INVALID_REQUEST);
		assertError("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", JsonRpcError.INVALID_REQUEST);
		assertError("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", JsonRpcError.INVALID_REQUEST);
		assertError("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", JsonRpcError.INVALID_REQUEST);
		assertError("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":3}", JsonRpcError.INVALID_REQUEST);
		assertError("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[1]}", JsonRpcError.INVALID_REQUEST);
		assertError("{\"jsonrpc\":\"2.0\",\"id\":1}", JsonRpcError.INVALID_REQUEST);
		assertError("\"hello\"", JsonRpcError.INVALID_REQUEST);
	}

	@Test
	void errorsWithoutAnIdCarryNull() {
		String json = new String(this.codec.write(JsonRpcCodec.error(null, JsonRpcError.invalidRequest("no"))),
				StandardCharsets.UTF_8);
		assertThat(json).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"no\"}}");
	}

	@Test
	void jsonNestedToTheLimitIsReadAndOneLevelDeeperIsAParseErrorNamingTheLimit() {
		JsonRpcCodec limited = new JsonRpcCodec(JsonMapper.builder().build(), new JsonLimits(8, 100));
		assertThat(limited.readClientMessage(bytes(nestedCall(7))).params().has("a")).isTrue();
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(() -> limited.readClientMessage(bytes(nestedCall(8))))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(new JsonRpcError(JsonRpcError.PARSE_ERROR,
					"Parse error: the JSON is nested deeper than 8 levels")));
	}

	@Test
	void theDefaultDepthIs64() {
		assertThat(read(nestedCall(63)).method()).isEqualTo("tools/call");
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> read(nestedCall(64)))
			.withMessage("Parse error: the JSON is nested deeper than 64 levels");
	}

	@Test
	void aNumberLongerThanTheLimitIsAParseErrorNamingTheLimit() {
		String digits = "1".repeat(101);
		assertThat(
				read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"n\":" + digits.substring(1) + "}}")
					.params()
					.get("n")
					.isNumber())
			.isTrue();
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(() -> read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"n\":" + digits + "}}"))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(new JsonRpcError(JsonRpcError.PARSE_ERROR,
					"Parse error: a number in the JSON is longer than 100 characters")));
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(
					() -> read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"n\":0." + digits + "}}"))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(JsonRpcError.PARSE_ERROR));
	}

	@Test
	void targetMessagesAreNotHeldToTheClientLimits() {
		JsonRpcCodec limited = new JsonRpcCodec(JsonMapper.builder().build(), new JsonLimits(8, 100));
		assertThat(limited.readTargetMessage(nestedCall(20)).method()).isEqualTo("tools/call");
	}

	@Test
	void limitsRejectValuesBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonLimits(0, 100))
			.withMessage("max nesting depth must be > 0, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonLimits(64, -1))
			.withMessage("max number length must be > 0, was -1");
	}

	/**
	 * A tools/call whose params nest {@code levels} objects: the message is level 1, so
	 * the JSON is {@code levels + 1} deep.
	 */
	private static String nestedCall(int levels) {
		return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + "{\"a\":".repeat(levels) + "1"
				+ "}".repeat(levels) + "}";
	}

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	private JsonRpcMessage read(String json) {
		return this.codec.readClientMessage(json.getBytes(StandardCharsets.UTF_8));
	}

	private void assertError(String json, int code) {
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> read(json))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(code));
	}

}
