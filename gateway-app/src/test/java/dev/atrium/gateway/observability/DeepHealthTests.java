package dev.atrium.gateway.observability;

import java.time.Duration;

import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.federation.AtriumFederation;
import dev.atrium.mcp.catalog.TargetCatalogs;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.json.JsonCompareMode;

import static org.awaitility.Awaitility.await;

/**
 * {@code /health-deep}, for a Route 53 health check that should move traffic away from a
 * region whose Atrium can reach none of its targets, while {@code /health} (the load
 * balancer's and the readiness probe's) stays up: restarting the pod would not help.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.demo.enabled=false", "atrium.targets.ghost.url=http://127.0.0.1:1/mcp",
				"atrium.scenarios.internal.targets=ghost", "atrium.scenarios.consumer.targets=ghost",
				"atrium.scenarios.enterprise.targets=ghost", "atrium.scenarios.third-party.targets=ghost",
				"atrium.federation.catalog-timeout=2s" })
@ActiveProfiles("anonymous")
class DeepHealthTests {

	@LocalServerPort
	int port;

	@Autowired
	AtriumFederation federation;

	@Test
	void deepHealthIsDownWhenNoTargetAnswersAndHealthStaysUp() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		await().atMost(Duration.ofSeconds(20)).until(() -> catalogs.health("ghost").checkedAt() != null);
		McpRequests.client(this.port)
			.get()
			.uri("/health-deep")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.json("{\"status\":\"DOWN\"}", JsonCompareMode.STRICT);
		McpRequests.client(this.port)
			.get()
			.uri("/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
		McpRequests.client(this.port)
			.get()
			.uri("/actuator/health/targets")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectBody()
			.jsonPath("$.details.ghost.status")
			.isEqualTo("DOWN");
	}

}
