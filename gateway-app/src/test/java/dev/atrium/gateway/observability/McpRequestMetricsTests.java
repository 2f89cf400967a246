package dev.atrium.gateway.observability;

import java.time.Duration;

import dev.atrium.gateway.McpRequests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every MCP message is counted and timed by scenario, method, target, tool and outcome,
 * and Prometheus reads the histogram with the seed's latency targets as buckets, and the
 * JVM metrics the dashboard shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.server.max-request-body=4KB", "atrium.session.keys[0].id=test",
				"atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters" })
@ActiveProfiles("anonymous")
class McpRequestMetricsTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Test
	void callsListsAndRefusalsAreTimedWithTheirOutcome() {
		WebTestClient client = McpRequests.client(this.port);
		String session = McpRequests.initialize(client, "/enterprise/mcp", null);
		McpRequests.post(client, "/enterprise/mcp", null, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"demo___add","arguments":{"a":1,"b":1}}}""")
			.exchange()
			.expectStatus()
			.isOk();
		McpRequests.post(client, "/enterprise/mcp", null, session)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"nope\"}}")
			.exchange()
			.expectStatus()
			.isOk();
		McpRequests.post(client, "/enterprise/mcp", null, null)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isBadRequest();
		assertThat(timer("initialize", "atrium", "none", "ok").count()).isEqualTo(1);
		assertThat(timer("tools/call", "demo", "demo___add", "ok").count()).isEqualTo(1);
		assertThat(timer("tools/call", "atrium", "none", "error").count()).isEqualTo(1);
		assertThat(timer("tools/list", "atrium", "none", "rejected").count()).isEqualTo(1);
		Timer targetCalls = this.registry.find("atrium.mcp.client")
			.tags("atrium.target", "demo", "mcp.method.name", "tools/call")
			.timer();
		assertThat(targetCalls).as("the target's own latency").isNotNull();
		assertThat(targetCalls.count()).isEqualTo(1);
		client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((text) -> assertThat(text).contains("atrium_mcp_requests_seconds_bucket{")
				.contains("le=\"0.05\"")
				.contains("le=\"0.2\"")
				.contains("scenario=\"enterprise\"")
				.contains("atrium_mcp_client_seconds_bucket{"));
	}

	@Test
	void theJvmMetricsOfTheDashboardAreExported() {
		// The GC pause timer appears with the first collection.
		System.gc();
		WebTestClient client = McpRequests.client(this.port);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> client.get()
				.uri("/actuator/prometheus")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.value((text) -> assertThat(text).contains("jvm_memory_used_bytes{", "jvm_memory_max_bytes{",
						"jvm_gc_pause_seconds_sum{", "jvm_threads_live_threads ", "process_cpu_usage ")));
	}

	private Timer timer(String method, String target, String tool, String outcome) {
		Timer timer = this.registry.find("atrium.mcp.requests")
			.tags("scenario", "enterprise", "method", method, "target", target, "tool", tool, "outcome", outcome)
			.timer();
		assertThat(timer).as("%s %s %s %s", method, target, tool, outcome).isNotNull();
		return timer;
	}

}
