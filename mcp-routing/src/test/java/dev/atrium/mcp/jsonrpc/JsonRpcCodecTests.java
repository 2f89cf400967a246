package dev.atrium.mcp.jsonrpc;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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

	private JsonRpcMessage read(String json) {
		return this.codec.readClientMessage(json.getBytes(StandardCharsets.UTF_8));
	}

	private void assertError(String json, int code) {
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> read(json))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(code));
	}

}
