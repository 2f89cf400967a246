package dev.atrium.gateway.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.federation.AtriumFederation;
import dev.atrium.mcp.catalog.TargetCatalogs;
import dev.atrium.policy.resilience.ResilientTargetCalls;
import dev.atrium.testsupport.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resilience per target on a running Atrium whose internal scenario federates three local
 * targets: one that stays healthy, one that is made to hang, fail, flap and recover, and
 * one that streams. Breaker time runs on a clock the tests move; only the time limits,
 * which Reactor times, take real (sub-second to seconds) time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class TargetResilienceRouteTests {

	private static final Logger logger = LoggerFactory.getLogger(TargetResilienceRouteTests.class);

	static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	static final LocalMcpTarget steady = LocalMcpTarget.start();

	static final LocalMcpTarget flaky = LocalMcpTarget.start();

	static final LocalMcpTarget streamer = LocalMcpTarget.start();

	@LocalServerPort
	int port;

	@Autowired
	ResilientTargetCalls calls;

	@Autowired
	AtriumFederation federation;

	@Autowired
	MeterRegistry registry;

	WebTestClient client;

	String session;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.steady.url", steady::url);
		registry.add("atrium.targets.flaky.url", flaky::url);
		registry.add("atrium.targets.streamer.url", streamer::url);
		registry.add("atrium.scenarios.internal.targets", () -> "steady,flaky,streamer");
		// Short enough to wait for, long enough for a loaded build machine.
		registry.add("atrium.resilience.timeouts.first-byte", () -> "2s");
		registry.add("atrium.targets.streamer.resilience.timeouts.idle", () -> "1s");
		registry.add("atrium.resilience.retry.backoff.initial", () -> "10ms");
		registry.add("atrium.resilience.retry.backoff.max", () -> "20ms");
	}

	@AfterAll
	static void stop() {
		steady.close();
		flaky.close();
		streamer.close();
	}

	/**
	 * On a loaded machine the first catalog read can miss the short first-byte limit of
	 * these tests; the next reads come in milliseconds.
	 */
	@BeforeEach
	void catalogsRead() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (String target : List.of("steady", "flaky", "streamer")) {
			for (int attempt = 0; attempt < 5 && !catalogs.health(target).up(); attempt++) {
				catalogs.refresh(target).block();
			}
			assertThat(catalogs.health(target).up()).as(target + " catalog read").isTrue();
		}
	}

	@BeforeEach
	void session() {
		this.calls.circuitBreakers().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		steady.reset();
		flaky.reset();
		streamer.reset();
		this.client = McpRequests.client(this.port);
		this.session = McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	@Test
	void aTargetThatHangsGetsAnErrorNamingItAfterTheFirstByteLimitAndTheOthersStillAnswer() {
		flaky.mode(LocalMcpTarget.Mode.HANG);
		long start = System.nanoTime();
		call("flaky___echo").jsonPath("$.error.code")
			.isEqualTo(-32011)
			.jsonPath("$.error.message")
			.isEqualTo("Target 'flaky' sent no answer within 2000 ms");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1900),
				Duration.ofSeconds(10));
		call("steady___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
	}

	@Test
	void aTargetThatFailsOpensItsBreakerAndIsThenRefusedWithoutBeingCalled() {
		flaky.mode(LocalMcpTarget.Mode.FAIL);
		double opened = counted("atrium.breaker.transitions", "target", "flaky", "from", "closed", "to", "open");
		double guarded = counted("atrium.mcp.refusals", "scenario", "internal", "status", "503", "reason",
				"target_guarded");
		long first = System.nanoTime();
		for (int i = 0; i < 5; i++) {
			call("flaky___echo").jsonPath("$.error.code")
				.isEqualTo(-32010)
				.jsonPath("$.error.message")
				.isEqualTo("Target 'flaky' answered HTTP 500: boom");
		}
		long failing = System.nanoTime() - first;
		call("flaky___echo").jsonPath("$.error.code")
			.isEqualTo(-32010)
			.jsonPath("$.error.message")
			.isEqualTo("Target 'flaky' is failing: its circuit breaker is open after repeated failures; "
					+ "it will be tried again in 60 s (at " + CLOCK.instant().plusSeconds(60) + ")");
		long[] refused = new long[20];
		for (int i = 0; i < refused.length; i++) {
			long start = System.nanoTime();
			call("flaky___echo").jsonPath("$.error.message")
				.value((String message) -> assertThat(message).contains("circuit breaker is open"));
			refused[i] = System.nanoTime() - start;
		}
		Arrays.sort(refused);
		logger.info(
				"MEASURED open: 5 failing calls took {} ms; the breaker opened on the 5th and refused the next "
						+ "21 calls without reaching the target, each answered in {} ms (median of 20, max {} ms)",
				Duration.ofNanos(failing).toMillis(), Duration.ofNanos(refused[10]).toMillis(),
				Duration.ofNanos(refused[19]).toMillis());
		assertThat(flaky.calls()).isEqualTo(5);
		// The pass-through route passes the same breaker: refused, the target not
		// reached.
		McpRequests.post(this.client, "/internal/targets/flaky/mcp", null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.error.message")
			.value((String message) -> assertThat(message).startsWith("Target 'flaky' is failing"));
		assertThat(flaky.calls()).isEqualTo(5);
		assertThat(counted("atrium.breaker.transitions", "target", "flaky", "from", "closed", "to", "open"))
			.isEqualTo(opened + 1);
		assertThat(counted("atrium.mcp.refusals", "scenario", "internal", "status", "503", "reason", "target_guarded"))
			.isEqualTo(guarded + 1);
		call("steady___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		this.client.get()
			.uri("/actuator/health/targets")
			.exchange()
			.expectBody()
			.jsonPath("$.details.flaky.circuitBreaker")
			.isEqualTo("OPEN")
			.jsonPath("$.details.steady.circuitBreaker")
			.isEqualTo("CLOSED");
	}

	@Test
	void aTargetThatFlapsIsTriedAgainAfterTheOpenDurationAndItsBreakerClosesWhenItRecovers() {
		flaky.mode(LocalMcpTarget.Mode.FAIL);
		for (int i = 0; i < 5; i++) {
			call("flaky___echo").jsonPath("$.error.code").isEqualTo(-32010);
		}
		flaky.mode(LocalMcpTarget.Mode.ANSWER);
		CLOCK.advance(Duration.ofSeconds(59));
		call("flaky___echo").jsonPath("$.error.message")
			.value((String message) -> assertThat(message).contains("circuit breaker is open"));
		assertThat(flaky.calls()).isEqualTo(5);
		// Still failing when first tried again: open for another minute.
		flaky.mode(LocalMcpTarget.Mode.FAIL);
		CLOCK.advance(Duration.ofMillis(1001));
		call("flaky___echo").jsonPath("$.error.message").isEqualTo("Target 'flaky' answered HTTP 500: boom");
		assertThat(this.calls.breakerState("flaky")).isEqualTo(CircuitBreaker.State.OPEN);
		flaky.mode(LocalMcpTarget.Mode.ANSWER);
		CLOCK.advance(Duration.ofMillis(60_001));
		long probe = System.nanoTime();
		call("flaky___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		logger.info(
				"MEASURED recovery: the first call after the open duration reached the target and succeeded "
						+ "in {} ms; breaker {}",
				Duration.ofNanos(System.nanoTime() - probe).toMillis(), this.calls.breakerState("flaky"));
		assertThat(this.calls.breakerState("flaky")).isEqualTo(CircuitBreaker.State.CLOSED);
		call("flaky___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(flaky.calls()).isEqualTo(8);
	}

	@Test
	void eachTargetsBreakerAndBulkheadArePublishedAsMetrics() {
		call("steady___echo").jsonPath("$.result").exists();
		this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics)
				.containsPattern(
						"resilience4j_circuitbreaker_state\\{[^}]*name=\"steady\"[^}]*state=\"closed\"[^}]*} 1")
				.containsPattern(
						"resilience4j_bulkhead_max_allowed_concurrent_calls\\{[^}]*name=\"steady\"[^}]*} 100"));
	}

	@Test
	void aReadOnlyToolIsRetriedAfterAFailureAndAToolThatIsNotIdempotentIsNot() {
		flaky.failNext(1);
		call("flaky___lookup").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(flaky.calls()).isEqualTo(2);
		flaky.failNext(1);
		call("flaky___echo").jsonPath("$.error.message").isEqualTo("Target 'flaky' answered HTTP 500: boom");
		assertThat(flaky.calls()).isEqualTo(3);
	}

	@Test
	void aStreamThatKeepsSendingProgressForLongerThanTheTimeLimitsIsNotCut() {
		long start = System.nanoTime();
		String stream = stream("streamer___progress", "{\"count\":12,\"intervalMs\":250}");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(2));
		assertThat(stream.split("notifications/progress", -1)).hasSize(13);
		assertThat(stream).contains("\"text\":\"done\"").doesNotContain("\"error\"");
	}

	@Test
	void aStreamThatGoesSilentForLongerThanTheIdleLimitIsCutWithAnErrorInsideTheStream() {
		String stream = stream("streamer___silent", "{}");
		assertThat(stream).contains("notifications/progress")
			.contains("\"id\":7")
			.contains("\"code\":-32011")
			.contains("Target 'streamer' went silent for 1000 ms in the middle of its answer");
	}

	private WebTestClient.BodyContentSpec call(String tool) {
		return McpRequests.post(this.client, "/internal/mcp", null, this.session)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
					+ "\",\"arguments\":{}}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private String stream(String tool, String arguments) {
		return McpRequests.post(this.client, "/internal/mcp", null, this.session)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
					+ "\",\"arguments\":" + arguments + "}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class MovableClock {

		@Bean
		@Primary
		Clock movableClock() {
			return CLOCK;
		}

	}

	private double counted(String name, String... tags) {
		Counter counter = this.registry.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
