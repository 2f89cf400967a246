package dev.atrium.gateway.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.McpRequests;
import dev.atrium.mcp.catalog.TargetCatalogs;
import dev.atrium.policy.resilience.ResilientTargetCalls;
import dev.atrium.testsupport.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target served from two regions, each a local MCP server: calls go to the preferred
 * region, move to the other when its breaker opens (or at once for a call that may be
 * repeated), and come back when it recovers. Breaker time runs on a clock the tests move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class RegionalTargetRouteTests {

	static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

	static final LocalMcpTarget east = LocalMcpTarget.start();

	static final LocalMcpTarget west = LocalMcpTarget.start();

	@LocalServerPort
	int port;

	@Autowired
	ResilientTargetCalls calls;

	@Autowired
	AtriumFederation federation;

	WebTestClient client;

	String session;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.crm.regions.us-east-1.url", east::url);
		registry.add("atrium.targets.crm.regions.us-east-1.priority", () -> "1");
		registry.add("atrium.targets.crm.regions.eu-west-1.url", west::url);
		registry.add("atrium.targets.crm.regions.eu-west-1.priority", () -> "2");
		registry.add("atrium.scenarios.internal.targets", () -> "crm");
		registry.add("atrium.resilience.retry.backoff.initial", () -> "10ms");
		registry.add("atrium.resilience.retry.backoff.max", () -> "20ms");
	}

	@AfterAll
	static void stop() {
		east.close();
		west.close();
	}

	@BeforeEach
	void session() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (int attempt = 0; attempt < 5 && !catalogs.health("crm").up(); attempt++) {
			catalogs.refresh("crm").block();
		}
		assertThat(catalogs.health("crm").up()).as("crm catalog read").isTrue();
		this.calls.circuitBreakers().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		east.reset();
		west.reset();
		this.client = McpRequests.client(this.port);
		this.session = McpRequests.initialize(this.client, "/internal/mcp", null);
	}

	@Test
	void callsGoToThePreferredRegionWhileItIsHealthy() {
		assertThat(east.seen()).extracting(LocalMcpTarget.Seen::method).contains("initialize");
		assertThat(west.seen()).isEmpty();
		call("crm___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		call("crm___lookup").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(east.calls()).isEqualTo(2);
		assertThat(west.calls()).isZero();
	}

	@Test
	void whenThePreferredRegionsBreakerOpensCallsMoveToTheNextAndComeBackWhenItRecovers() {
		east.mode(LocalMcpTarget.Mode.FAIL);
		// A call that may not be repeated is not sent again elsewhere once it was sent.
		for (int i = 0; i < 5; i++) {
			call("crm___echo").jsonPath("$.error.message").isEqualTo("Target 'crm' answered HTTP 500: boom");
		}
		assertThat(this.calls.breakerState("crm@us-east-1")).isEqualTo(CircuitBreaker.State.OPEN);
		call("crm___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		call("crm___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(east.calls()).isEqualTo(5);
		assertThat(west.calls()).isEqualTo(2);
		// The session there was opened for this client on first use, once the endpoint
		// was asked whether it speaks 2026-07-28 (it does not).
		assertThat(west.seen()).extracting(LocalMcpTarget.Seen::method).startsWith("server/discover", "initialize");
		this.client.get()
			.uri("/actuator/health/targets")
			.exchange()
			.expectBody()
			.jsonPath("$.details.crm.regions.us-east-1.circuitBreaker")
			.isEqualTo("OPEN")
			.jsonPath("$.details.crm.regions.us-east-1.preferred")
			.isEqualTo(false)
			.jsonPath("$.details.crm.regions.eu-west-1.preferred")
			.isEqualTo(true);

		east.mode(LocalMcpTarget.Mode.ANSWER);
		CLOCK.advance(Duration.ofSeconds(61));
		call("crm___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(east.calls()).isEqualTo(6);
		assertThat(this.calls.breakerState("crm@us-east-1")).isEqualTo(CircuitBreaker.State.CLOSED);
		call("crm___echo").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(east.calls()).isEqualTo(7);
		assertThat(west.calls()).isEqualTo(2);
	}

	@Test
	void aCallThatMayBeRepeatedMovesToTheNextRegionAsSoonAsItsRetriesFail() {
		east.mode(LocalMcpTarget.Mode.FAIL);
		call("crm___lookup").jsonPath("$.result.content[0].text").isEqualTo("ok");
		assertThat(east.calls()).isEqualTo(3);
		assertThat(west.calls()).isEqualTo(1);
		assertThat(this.calls.breakerState("crm@us-east-1")).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void aRegionalTargetHasNoPassThroughRoute() {
		McpRequests.post(this.client, "/internal/targets/crm/mcp", null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isNotFound();
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

	@TestConfiguration(proxyBeanMethods = false)
	static class MovableClock {

		@Bean
		@Primary
		Clock movableClock() {
			return CLOCK;
		}

	}

}
