package dev.atrium.gateway.observability;

import java.util.List;

import dev.atrium.gateway.McpRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the JSON log format every MCP message is one {@code mcp_request} line in the
 * seed's shape, carrying the request and correlation ids and the client of its request,
 * and nothing of the token or the arguments.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"logging.structured.format.console=dev.atrium.observability.logging.AtriumStructuredLogFormatter",
		"atrium.session.keys[0].id=test", "atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters",
		"atrium.sts.key-secret=structured-logs-sts-secret-0123456789-0123456789",
		"atrium.sts.clients.ai-agent-logs.secret=ai-agent-logs-secret-0123456789",
		"atrium.sts.clients.ai-agent-logs.grant-types=client-credentials",
		"atrium.sts.clients.ai-agent-logs.scopes=mcp:read,mcp:write" })
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String ARGUMENT = "an-argument-that-stays-out-of-logs";

	@LocalServerPort
	int port;

	@Test
	void everyMcpMessageIsOneJsonLineWithTheIdsOfItsRequest(CapturedOutput output) {
		WebTestClient client = McpRequests.client(this.port);
		String token = McpRequests.stsToken(client, "ai-agent-logs", "ai-agent-logs-secret-0123456789");
		String session = McpRequests.post(client, "/internal/mcp", token, null)
			.header("X-Request-Id", "logs-test-initialize")
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("Mcp-Session-Id");

		McpRequests.post(client, "/internal/mcp", token, session)
			.header("X-Request-Id", "logs-test-tools-call")
			.header("X-Correlation-Id", "order-4711:checkout")
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"demo___echo","arguments":{"message":"%s"}}}"""
						.formatted(ARGUMENT))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Request-Id", "logs-test-tools-call")
			.expectHeader()
			.valueEquals("X-Correlation-Id", "order-4711:checkout")
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains(ARGUMENT));

		JsonNode call = mcpRequest(output, "logs-test-tools-call");
		assertThat(call.path("level").asString()).isEqualTo("INFO");
		assertThat(call.path("component").asString()).isEqualTo("atrium");
		assertThat(call.path("correlation_id").asString()).isEqualTo("order-4711:checkout");
		assertThat(call.path("client_id").asString()).isEqualTo("ai-agent-logs");
		JsonNode details = call.path("details");
		assertThat(details.path("client_id").asString()).isEqualTo("ai-agent-logs");
		assertThat(details.path("mcp_server").asString()).isEqualTo("demo");
		assertThat(details.path("method").asString()).isEqualTo("tools/call");
		assertThat(details.path("status").asString()).isEqualTo("ok");
		assertThat(details.path("http_status").asInt()).isEqualTo(200);
		assertThat(details.path("scenario").asString()).isEqualTo("internal");
		assertThat(details.path("tool").asString()).isEqualTo("demo___echo");
		assertThat(details.path("duration_ms").isIntegralNumber()).isTrue();
		JsonNode initialize = mcpRequest(output, "logs-test-initialize");
		assertThat(initialize.path("correlation_id").asString()).isEqualTo("logs-test-initialize");
		assertThat(initialize.at("/details/mcp_server").asString()).isEqualTo("atrium");
		assertThat(output.getAll()).doesNotContain(token).doesNotContain(ARGUMENT).doesNotContain(session);
	}

	private static JsonNode mcpRequest(CapturedOutput output, String requestId) {
		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(JSON::readTree)
			.filter((line) -> "mcp_request".equals(line.path("event").asString())
					&& requestId.equals(line.path("request_id").asString()))
			.toList();
		assertThat(lines).as("mcp_request lines of request %s in%n%s", requestId, output.getOut()).hasSize(1);
		return lines.get(0);
	}

}
