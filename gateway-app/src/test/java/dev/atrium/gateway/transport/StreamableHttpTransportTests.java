package dev.atrium.gateway.transport;

import java.nio.charset.StandardCharsets;

import dev.atrium.gateway.McpRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server side of the streamable HTTP transport, as a client sees it, on a running
 * Atrium whose scenarios federate the demo target.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.server.max-request-body=4KB", "atrium.session.keys[0].id=test",
				"atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters" })
@ActiveProfiles("anonymous")
class StreamableHttpTransportTests {

	private static final String INITIALIZE = McpRequests.INITIALIZE;

	@LocalServerPort
	int port;

	WebTestClient client;

	@BeforeEach
	void client() {
		this.client = McpRequests.client(this.port);
	}

	@Test
	void initializeOpensASessionAndDescribesTheMergedServer() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.exists("Mcp-Session-Id")
			.expectBody()
			.jsonPath("$.result.protocolVersion")
			.isEqualTo("2025-11-25")
			.jsonPath("$.result.serverInfo.name")
			.isEqualTo("atrium")
			.jsonPath("$.result.capabilities.tools")
			.exists()
			.jsonPath("$.result.capabilities.prompts")
			.exists()
			.jsonPath("$.result.capabilities.logging")
			.doesNotExist();
	}

	@Test
	void anOlderClientGetsItsOwnRevisionAndAnUnknownOneTheLatest() {
		assertThat(initializeWith("2025-03-26")).contains("\"protocolVersion\":\"2025-03-26\"");
		assertThat(initializeWith("2025-06-18")).contains("\"protocolVersion\":\"2025-06-18\"");
		assertThat(initializeWith("1999-01-01")).contains("\"protocolVersion\":\"2025-11-25\"");
	}

	@Test
	void toolsAreListedWithTheirTargetPrefixAndCalledThroughIt() {
		String session = initialize();
		post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.tools[*].name")
			.value((names) -> assertThat(names.toString()).contains("demo___echo", "demo___add",
					"demo___current_time"));
		post(session,
				"""
						{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"demo___add","arguments":{"a":2,"b":40}}}""")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("call-1")
			.jsonPath("$.result.content[0].text")
			.isEqualTo("42");
	}

	@Test
	void anUnknownToolIsAJsonRpcError() {
		post(initialize(), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32602)
			.jsonPath("$.error.message")
			.isEqualTo("Unknown tool: nope");
	}

	@Test
	void anUnknownMethodIsMethodNotFound() {
		post(initialize(), "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"nothing/here\"}").expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32601);
	}

	@Test
	void pingIsAnsweredByAtrium() {
		post(initialize(), "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}").expectStatus()
			.isOk()
			.expectBody()
			.json("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}");
	}

	@Test
	void notificationsAndResponsesGet202WithoutABody() {
		String session = initialize();
		post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").expectStatus()
			.isAccepted()
			.expectBody()
			.isEmpty();
		post(session, "{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":{}}").expectStatus().isAccepted();
	}

	@Test
	void aPostThatDoesNotAcceptBothJsonAndSseIsNotAcceptable() {
		this.client.post()
			.uri("/internal/mcp")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_ACCEPTABLE)
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32600);
	}

	@Test
	void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
		this.client.post()
			.uri("/internal/mcp")
			.contentType(MediaType.TEXT_PLAIN)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
			.bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
	}

	@Test
	void aRequestWithoutSessionIdIsABadRequest() {
		post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.isEqualTo("Bad Request: Mcp-Session-Id header is required");
	}

	@Test
	void anUnknownSessionIdIsNotFound() {
		post("AQJrMQ-not-a-session", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").expectStatus()
			.isNotFound();
	}

	@Test
	void aSessionOfAnotherScenarioIsNotFound() {
		McpRequests.post(this.client, "/consumer/mcp", null, null)
			.header("Mcp-Session-Id", initialize())
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void deleteEndsTheSessionAndItIsNotFoundAfterwards() {
		String session = initialize();
		this.client.delete()
			.uri("/internal/mcp")
			.header("Mcp-Session-Id", session)
			.exchange()
			.expectStatus()
			.isNoContent();
		post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").expectStatus().isNotFound();
		this.client.delete().uri("/internal/mcp").exchange().expectStatus().isBadRequest();
	}

	@Test
	void anUnsupportedProtocolVersionIsABadRequest() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("Mcp-Session-Id", initialize())
			.header("MCP-Protocol-Version", "2024-01-01")
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.value((message) -> assertThat(message.toString()).contains("2024-01-01"));
	}

	@Test
	void batchesAreRefused() {
		post(initialize(), "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32600);
	}

	@Test
	void invalidJsonIsAParseError() {
		post(initialize(), "{not json").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.code")
			.isEqualTo(-32700);
	}

	@Test
	void aGetWithoutASessionIsABadRequest() {
		this.client.get()
			.uri("/internal/mcp")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.error.message")
			.value((message) -> assertThat(message.toString()).contains("Mcp-Session-Id"));
	}

	@Test
	void aGetThatDoesNotAcceptAnEventStreamIsNotAcceptable() {
		this.client.get()
			.uri("/internal/mcp")
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.NOT_ACCEPTABLE);
	}

	@Test
	void aForeignOriginIsForbidden() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("Origin", "https://evil.example.com")
			.bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isForbidden();
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("Origin", "http://localhost:6274")
			.bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void aForeignHostIsMisdirected() {
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("Host", "attacker.example.com")
			.bodyValue(INITIALIZE)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.MISDIRECTED_REQUEST);
	}

	@Test
	void aBodyOverTheCapIsTooLargeWhetherDeclaredOrChunked() {
		String large = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5000)
				+ "\"}}";
		post(initialize(), large).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		Flux<DataBuffer> chunks = Flux.range(0, 10)
			.map((i) -> DefaultDataBufferFactory.sharedInstance
				.wrap("x".repeat(1000).getBytes(StandardCharsets.UTF_8)));
		McpRequests.post(this.client, "/internal/mcp", null, null)
			.header("Mcp-Session-Id", initialize())
			.body(chunks, DataBuffer.class)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
	}

	@Test
	void thePassThroughRouteProxiesTheTargetWithoutRenaming() {
		McpRequests.post(this.client, "/internal/targets/demo/mcp", null, null)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.tools[0].name")
			.isEqualTo("echo");
	}

	private String initialize() {
		return McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	private String initializeWith(String version) {
		return McpRequests.post(this.client, "/internal/mcp", null, null)
			.bodyValue(INITIALIZE.replace("2025-11-25", version))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private WebTestClient.ResponseSpec post(String session, String body) {
		return McpRequests.post(this.client, "/internal/mcp", null, session).bodyValue(body).exchange();
	}

}
