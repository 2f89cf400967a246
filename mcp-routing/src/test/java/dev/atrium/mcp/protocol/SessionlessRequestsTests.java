package dev.atrium.mcp.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per reason a 2026-07-28 request is refused before it is served, and the
 * requests that pass.
 */
class SessionlessRequestsTests {

	private final JsonRpcCodec codec = new JsonRpcCodec();

	private Map<String, String> headers;

	@BeforeEach
	void modernHeaders() {
		this.headers = new HashMap<>();
		this.headers.put(McpHeaders.PROTOCOL_VERSION, "2026-07-28");
		this.headers.put(McpHeaders.METHOD, "tools/call");
		this.headers.put(McpHeaders.NAME, "get_weather");
	}

	@Test
	void aRequestWhoseHeadersMatchItsBodyPasses() {
		assertThat(check(call("get_weather", "2026-07-28"))).isEmpty();
	}

	@Test
	void aModernHeaderOrAModernMetaMakesARequestSessionless() {
		assertThat(SessionlessRequests.isSessionless("2026-07-28", message("{\"method\":\"tools/list\"}"))).isTrue();
		assertThat(SessionlessRequests.isSessionless(null, call("x", "2026-07-28"))).isTrue();
		assertThat(SessionlessRequests.isSessionless("2025-11-25", message("{\"method\":\"tools/list\"}"))).isFalse();
		assertThat(SessionlessRequests.isSessionless(null, message("{\"method\":\"tools/list\"}"))).isFalse();
	}

	@Test
	void requestWhenProtocolVersionHeaderMissingThenHeaderMismatch() {
		this.headers.remove(McpHeaders.PROTOCOL_VERSION);
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void requestWhenMetaProtocolVersionMissingThenInvalidParams() {
		assertRefused(check(message("""
				{"method":"tools/call","params":{"name":"get_weather",
				 "_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}}""")), 400, -32602);
	}

	@Test
	void requestWhenHeaderAndMetaVersionsDifferThenHeaderMismatch() {
		this.headers.put(McpHeaders.PROTOCOL_VERSION, "2025-11-25");
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void requestWhenVersionUnknownThenUnsupportedProtocolVersionListingTheSupportedOnes() {
		this.headers.put(McpHeaders.PROTOCOL_VERSION, "2099-01-01");
		Optional<SessionlessRequests.Refusal> refusal = check(call("get_weather", "2099-01-01"));
		assertRefused(refusal, 400, -32022);
		assertThat(refusal.get().error().node().path("error").path("data").path("supported").toString())
			.contains("2026-07-28", "2025-11-25");
		assertThat(refusal.get().error().node().path("error").path("data").path("requested").asString())
			.isEqualTo("2099-01-01");
	}

	@Test
	void requestWhenClientCapabilitiesMissingThenInvalidParams() {
		assertRefused(check(message("""
				{"method":"tools/call","params":{"name":"get_weather",
				 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""")), 400, -32602);
	}

	@Test
	void requestWhenMethodHeaderMissingThenHeaderMismatch() {
		this.headers.remove(McpHeaders.METHOD);
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void requestWhenMethodHeaderDiffersThenHeaderMismatch() {
		this.headers.put(McpHeaders.METHOD, "tools/list");
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void requestWhenNameHeaderMissingThenHeaderMismatch() {
		this.headers.remove(McpHeaders.NAME);
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void requestWhenNameHeaderDiffersThenHeaderMismatch() {
		this.headers.put(McpHeaders.NAME, "delete_everything");
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void aNameInTheBase64SentinelIsDecodedBeforeItIsCompared() {
		this.headers.put(McpHeaders.NAME, HeaderValues.encode("météo"));
		assertThat(this.headers.get(McpHeaders.NAME)).startsWith("=?base64?");
		assertThat(check(call("météo", "2026-07-28"))).isEmpty();
	}

	@Test
	void requestWhenNameHeaderIsABrokenSentinelThenHeaderMismatch() {
		this.headers.put(McpHeaders.NAME, "=?base64?not base64!?=");
		assertRefused(check(call("get_weather", "2026-07-28")), 400, -32020);
	}

	@Test
	void aResourceReadIsNamedByItsUri() {
		this.headers.put(McpHeaders.METHOD, "resources/read");
		this.headers.put(McpHeaders.NAME, "file:///config.json");
		assertThat(check(message("""
				{"method":"resources/read","params":{"uri":"file:///config.json",
				 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
				 "io.modelcontextprotocol/clientCapabilities":{}}}}"""))).isEmpty();
	}

	@Test
	void aListNeedsNoName() {
		this.headers.put(McpHeaders.METHOD, "tools/list");
		this.headers.remove(McpHeaders.NAME);
		assertThat(check(message("""
				{"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
				 "io.modelcontextprotocol/clientCapabilities":{}}}}"""))).isEmpty();
	}

	@Test
	void theRefusalKeepsTheRequestId() {
		this.headers.remove(McpHeaders.METHOD);
		assertThat(check(call("get_weather", "2026-07-28")).get().error().id().asInt()).isEqualTo(7);
	}

	private Optional<SessionlessRequests.Refusal> check(JsonRpcMessage message) {
		return SessionlessRequests.check(this.headers::get, message);
	}

	private JsonRpcMessage call(String name, String version) {
		return message("""
				{"method":"tools/call","params":{"name":"%s","arguments":{},
				 "_meta":{"io.modelcontextprotocol/protocolVersion":"%s",
				 "io.modelcontextprotocol/clientCapabilities":{}}}}""".formatted(name, version));
	}

	private JsonRpcMessage message(String json) {
		return this.codec.readClientMessage(("{\"jsonrpc\":\"2.0\",\"id\":7," + json.substring(1)).getBytes());
	}

	private static void assertRefused(Optional<SessionlessRequests.Refusal> refusal, int status, int code) {
		assertThat(refusal).hasValueSatisfying((refused) -> {
			assertThat(refused.status()).isEqualTo(status);
			assertThat(refused.error().node().path("error").path("code").asInt()).isEqualTo(code);
		});
	}

}
