package dev.atrium.gateway.tracing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.atrium.gateway.McpRequests;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spans read with the OpenTelemetry SDK's in-memory exporter: an MCP request's server
 * span carries the MCP attributes, the call to its target is a client span under it, and
 * the target (the demo, served by Atrium itself) continues the same trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.tracing.sampling.probability=1.0")
@ActiveProfiles("anonymous")
class TracingRouteTests {

	static final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	@LocalServerPort
	int port;

	@Autowired
	SpanProcessor inMemorySpans;

	WebTestClient client;

	@BeforeEach
	void client() {
		this.client = McpRequests.client(this.port);
	}

	@Test
	void aToolCallIsAServerSpanWithMcpAttributesAndAClientSpanTheTargetContinues() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", null);
		exporter.reset();
		McpRequests.post(this.client, "/internal/mcp", null, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"demo___echo","arguments":{"message":"traced"}}}""")
			.exchange()
			.expectStatus()
			.isOk();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(spanNamed("tools/call demo___echo") != null
					&& spanNamed("tools/call demo") != null && demoServerSpan() != null)
				.as(() -> spans().stream()
					.map((span) -> span.getName() + " " + span.getSpanId() + "<-" + span.getParentSpanId() + " "
							+ span.getAttributes())
					.toList()
					.toString())
				.isTrue());
		SpanData server = spanNamed("tools/call demo___echo");
		SpanData client = spanNamed("tools/call demo");
		SpanData target = demoServerSpan();
		assertThat(server.getAttributes().get(AttributeKey.stringKey("mcp.method.name"))).isEqualTo("tools/call");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))).isEqualTo("demo___echo");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("atrium.scenario"))).isEqualTo("internal");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("atrium.target"))).isEqualTo("demo");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("mcp.session.id"))).hasSize(24)
			.isNotEqualTo(session);
		assertThat(ancestors(client)).contains(server.getSpanId());
		assertThat(client.getTraceId()).isEqualTo(server.getTraceId());
		// traceparent reached the target: its server span is the client span's child.
		assertThat(target.getTraceId()).isEqualTo(server.getTraceId());
		assertThat(target.getParentSpanId()).isEqualTo(client.getSpanId());
		// Spring Security's chain is not observed filter by filter (its cost, per
		// request, is in docs/benchmarks.md).
		assertThat(spans()).extracting(SpanData::getName)
			.noneMatch((name) -> name.toLowerCase(java.util.Locale.ROOT).contains("filterchain"));
	}

	@Test
	void anXrayTraceHeaderIsContinuedAndTraceparentWinsWhenBothCome() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", null);
		exporter.reset();
		McpRequests.post(this.client, "/internal/mcp", null, session)
			.header("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isOk();
		await().atMost(Duration.ofSeconds(10)).until(() -> spanNamed("tools/list") != null);
		SpanData xray = spanNamed("tools/list");
		assertThat(xray.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
		assertThat(xray.getParentSpanId()).isEqualTo("53995c3f42cd8ad8");

		exporter.reset();
		McpRequests.post(this.client, "/internal/mcp", null, session)
			.header("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
			.header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isOk();
		await().atMost(Duration.ofSeconds(10)).until(() -> spanNamed("tools/list") != null);
		assertThat(spanNamed("tools/list").getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
	}

	/** The ids of a span's parent, its parent's parent, and so on. */
	private static List<String> ancestors(SpanData span) {
		List<String> ids = new ArrayList<>();
		String parent = span.getParentSpanId();
		while (parent != null && !parent.equals("0000000000000000") && !ids.contains(parent)) {
			ids.add(parent);
			String current = parent;
			parent = spans().stream()
				.filter((candidate) -> candidate.getSpanId().equals(current))
				.map(SpanData::getParentSpanId)
				.findFirst()
				.orElse(null);
		}
		return ids;
	}

	private static SpanData spanNamed(String name) {
		return spans().stream().filter((span) -> span.getName().equals(name)).findFirst().orElse(null);
	}

	/** The target's own server span: the demo target is served by Atrium. */
	private static SpanData demoServerSpan() {
		return spanNamed("http post /demo/mcp");
	}

	private static List<SpanData> spans() {
		return exporter.getFinishedSpanItems();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemorySpans {

		@Bean
		SpanProcessor inMemorySpans() {
			return SimpleSpanProcessor.create(exporter);
		}

	}

}
