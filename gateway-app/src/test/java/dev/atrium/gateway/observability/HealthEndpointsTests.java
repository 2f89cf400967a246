package dev.atrium.gateway.observability;

import dev.atrium.gateway.McpRequests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code /health} for load balancers and Route 53, and the probes of the actuator: no
 * token needed, nothing but the status, and 503 while Atrium refuses traffic (as it does
 * once shutdown begins).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"atrium.session.keys[0].id=test", "atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters" })
class HealthEndpointsTests {

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Test
	void healthIsUpWithTheStatusOnlyAndWithoutAToken() {
		expect("/health", HttpStatus.OK, "{\"status\":\"UP\"}");
		expect("/actuator/health/readiness", HttpStatus.OK, "{\"status\":\"UP\"}");
		client().get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void deepHealthIsUpWithTheStatusOnlyWhileATargetAnswers() {
		expect("/health-deep", HttpStatus.OK, "{\"status\":\"UP\"}");
	}

	@Test
	void healthAndReadinessAre503WhileAtriumRefusesTraffic() {
		AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		try {
			expect("/health", HttpStatus.SERVICE_UNAVAILABLE, "{\"status\":\"OUT_OF_SERVICE\"}");
			expect("/actuator/health/readiness", HttpStatus.SERVICE_UNAVAILABLE, "{\"status\":\"OUT_OF_SERVICE\"}");
			client().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		}
		finally {
			AvailabilityChangeEvent.publish(this.context, ReadinessState.ACCEPTING_TRAFFIC);
		}
		expect("/health", HttpStatus.OK, "{\"status\":\"UP\"}");
	}

	@Test
	void livenessIs503WhenTheProcessIsBroken() {
		AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
		try {
			client().get()
				.uri("/actuator/health/liveness")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("DOWN");
		}
		finally {
			AvailabilityChangeEvent.publish(this.context, LivenessState.CORRECT);
		}
	}

	@Test
	void theActuatorsHealthStillDetailsTheTargets() {
		client().get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.targets.details.demo.status")
			.exists();
	}

	private void expect(String path, HttpStatus status, String body) {
		client().get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.json(body, JsonCompareMode.STRICT);
	}

	private WebTestClient client() {
		return McpRequests.client(this.port);
	}

}
