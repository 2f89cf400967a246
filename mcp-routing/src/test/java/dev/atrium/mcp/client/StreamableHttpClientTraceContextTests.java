package dev.atrium.mcp.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace context of a call reaches the target twice: as the W3C headers and in the
 * message's {@code params._meta}, as the OpenTelemetry conventions for MCP define, while
 * the rest of the message and its own {@code _meta} stay as they were.
 */
class StreamableHttpClientTraceContextTests {

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AtomicReference<JsonNode> received = new AtomicReference<>();

	private static final AtomicReference<String> receivedHeader = new AtomicReference<>();

	static DisposableServer target;

	@BeforeAll
	static void start() {
		target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/mcp",
					(request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
						received.set(JSON.readTree(body));
						receivedHeader.set(request.requestHeaders().get("traceparent"));
						return response.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{}}"))
							.then();
					})))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		target.disposeNow();
	}

	@BeforeEach
	void reset() {
		received.set(null);
		receivedHeader.set(null);
	}

	@Test
	void aCallCarriesTheTraceContextInItsHeadersAndInMeta() {
		ObjectNode params = JsonRpcCodec.object();
		params.put("name", "echo");
		params.putObject("arguments").put("message", "hi");
		params.putObject("_meta").put("progressToken", 7);
		JsonRpcMessage call = JsonRpcCodec.request("1", "tools/call", params);

		client(Map.of("traceparent", TRACEPARENT, "tracestate", "atrium=1")).request(call, null).block();

		JsonNode sent = received.get();
		assertThat(receivedHeader.get()).isEqualTo(TRACEPARENT);
		assertThat(sent.at("/params/_meta/traceparent").asString()).isEqualTo(TRACEPARENT);
		assertThat(sent.at("/params/_meta/tracestate").asString()).isEqualTo("atrium=1");
		assertThat(sent.at("/params/_meta/progressToken").asInt()).isEqualTo(7);
		assertThat(sent.at("/params/arguments/message").asString()).isEqualTo("hi");
		assertThat(call.params().get("_meta").has("traceparent")).as("the caller's message is left alone").isFalse();
	}

	@Test
	void aRequestWithoutParamsGetsThemForItsMeta() {
		client(Map.of("traceparent", TRACEPARENT)).request(JsonRpcCodec.request("1", "tools/list", null), null).block();

		assertThat(received.get().at("/params/_meta/traceparent").asString()).isEqualTo(TRACEPARENT);
	}

	@Test
	void aClientsOwnTraceContextInMetaIsReplacedByTheCallsAndAStaleTracestateDropped() {
		ObjectNode params = JsonRpcCodec.object();
		params.putObject("_meta")
			.put("traceparent", "00-11111111111111111111111111111111-2222222222222222-01")
			.put("tracestate", "client=1");

		client(Map.of("traceparent", TRACEPARENT)).request(JsonRpcCodec.request("1", "tools/list", params), null)
			.block();

		assertThat(received.get().at("/params/_meta/traceparent").asString()).isEqualTo(TRACEPARENT);
		assertThat(received.get().at("/params/_meta").has("tracestate")).isFalse();
	}

	@Test
	void withoutATraceTheMessageIsSentAsItCame() {
		ObjectNode params = JsonRpcCodec.object();
		params.put("name", "echo");

		client(Map.of()).request(JsonRpcCodec.request("1", "tools/call", params), null).block();

		assertThat(received.get().get("params").has("_meta")).isFalse();
	}

	private static StreamableHttpClient client(Map<String, String> callerHeaders) {
		URI uri = URI.create("http://127.0.0.1:" + target.port() + "/mcp");
		return new StreamableHttpClient(
				new TargetEndpoint("t", uri, Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(5),
						Duration.ofSeconds(5)),
				HttpClient.create(), new JsonRpcCodec(), (name) -> Mono.just(callerHeaders));
	}

}
