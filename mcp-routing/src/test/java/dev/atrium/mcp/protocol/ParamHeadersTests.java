package dev.atrium.mcp.protocol;

import java.util.HashMap;
import java.util.Map;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code x-mcp-header} example of the 2026-07-28 streamable HTTP transport. */
class ParamHeadersTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNode SCHEMA = JSON.readTree("""
			{"type":"object","properties":{
			 "region":{"type":"string","x-mcp-header":"Region"},
			 "limit":{"type":"integer","x-mcp-header":"Limit"},
			 "query":{"type":"string"}}}""");

	private final Map<String, String> headers = new HashMap<>();

	@Test
	void markedArgumentsAreMirroredEncoded() {
		assertThat(ParamHeaders.mirrored(SCHEMA, JSON.readTree("{\"region\":\"Zürich\",\"limit\":42,\"query\":\"q\"}")))
			.containsExactly(Map.entry("Mcp-Param-Region", "=?base64?WsO8cmljaA==?="),
					Map.entry("Mcp-Param-Limit", "42"));
	}

	@Test
	void headersThatMatchTheArgumentsPass() {
		this.headers.put("Mcp-Param-Region", "us-west1");
		this.headers.put("Mcp-Param-Limit", "42.0");
		assertThat(check("{\"region\":\"us-west1\",\"limit\":42}")).isEmpty();
	}

	@Test
	void anArgumentWithoutValueExpectsNoHeader() {
		assertThat(check("{\"region\":null}")).isEmpty();
	}

	@Test
	void callWhenMarkedArgumentHasNoHeaderThenHeaderMismatch() {
		assertThat(check("{\"region\":\"us-west1\"}")).hasValueSatisfying(
				(refusal) -> assertThat(refusal.error().node().path("error").path("code").asInt()).isEqualTo(-32020));
	}

	@Test
	void callWhenHeaderDiffersFromArgumentThenHeaderMismatch() {
		this.headers.put("Mcp-Param-Region", "eu-west1");
		assertThat(check("{\"region\":\"us-west1\"}")).isPresent();
	}

	private java.util.Optional<SessionlessRequests.Refusal> check(String arguments) {
		JsonRpcMessage call = new JsonRpcCodec().readClientMessage(
				("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"t\",\"arguments\":"
						+ arguments + "}}")
					.getBytes());
		return ParamHeaders.check(this.headers::get, SCHEMA, call);
	}

}
