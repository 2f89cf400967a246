package dev.atrium.gateway.federation;

import java.time.Duration;
import java.util.List;

import dev.atrium.gateway.LocalMcpTarget;
import dev.atrium.gateway.McpRequests;
import dev.atrium.mcp.catalog.TargetCatalogs;
import dev.atrium.mcp.federation.ServerRequestIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client sends that is not a request reaches the targets it concerns: a
 * cancellation and a change of roots go to every target of the session, a response to
 * nothing a target asked goes nowhere, and a client that leaves in the middle of a call
 * has the target told to stop.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("anonymous")
class ClientToTargetRouteTests {

	static final LocalMcpTarget alpha = LocalMcpTarget.start();

	static final LocalMcpTarget beta = LocalMcpTarget.start();

	@LocalServerPort
	int port;

	@Autowired
	AtriumFederation federation;

	WebTestClient client;

	String session;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.alpha.url", alpha::url);
		registry.add("atrium.targets.beta.url", beta::url);
		registry.add("atrium.scenarios.internal.targets", () -> "alpha,beta");
		// A client that leaves is waited for this long before its call is cancelled.
		registry.add("atrium.streams.resume-window", () -> "200ms");
	}

	@AfterAll
	static void stop() {
		alpha.close();
		beta.close();
	}

	@BeforeEach
	void session() {
		TargetCatalogs catalogs = this.federation.catalogs().orElseThrow();
		for (String target : List.of("alpha", "beta")) {
			for (int attempt = 0; attempt < 5 && !catalogs.health(target).up(); attempt++) {
				catalogs.refresh(target).block();
			}
		}
		this.client = McpRequests.client(this.port);
		this.session = McpRequests.initialize(this.client, "/internal/mcp", null);
		// What the tests look at comes after the session was opened.
		alpha.reset();
		beta.reset();
	}

	@Test
	void aClientThatLeavesInTheMiddleOfACallHasTheTargetToldToStop() {
		ServerSentEvent<String> first = WebClient.create("http://127.0.0.1:" + this.port)
			.post()
			.uri("/internal/mcp")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
			.header("Mcp-Session-Id", this.session)
			.bodyValue("""
					{"jsonrpc":"2.0","id":"call-41","method":"tools/call",
					 "params":{"name":"alpha___silent","arguments":{}}}""")
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
			})
			// After the priming event, which carries no message.
			.filter((event) -> event.data() != null && !event.data().isBlank())
			.next()
			.block(Duration.ofSeconds(10));
		assertThat(first.data()).contains("notifications/progress");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(alpha.seen()).filteredOn((seen) -> seen.method().equals("notifications/cancelled"))
						.singleElement()
						.satisfies((seen) -> assertThat(seen.message().path("params").path("requestId").asString())
							.isEqualTo("call-41")));
		assertThat(beta.seen()).isEmpty();
	}

	@Test
	void aCallThatWasAnsweredIsNotCancelled() {
		McpRequests.post(this.client, "/internal/mcp", null, this.session)
			.bodyValue("""
					{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"alpha___echo","arguments":{}}}""")
			.exchange()
			.expectStatus()
			.isOk();
		McpRequests.post(this.client, "/internal/mcp", null, this.session)
			.bodyValue("""
					{"jsonrpc":"2.0","id":6,"method":"tools/call",
					 "params":{"name":"alpha___progress","arguments":{"count":2,"intervalMs":10}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("done"));
		assertThat(alpha.seen()).extracting(LocalMcpTarget.Seen::method).doesNotContain("notifications/cancelled");
	}

	@Test
	void aCancellationFromTheClientGoesToEveryTargetOfTheSession() {
		McpRequests.post(this.client, "/internal/mcp", null, this.session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"call-7","reason":"user"}}""")
			.exchange()
			.expectStatus()
			.isAccepted();
		for (LocalMcpTarget target : List.of(alpha, beta)) {
			assertThat(target.seen()).filteredOn((seen) -> seen.method().equals("notifications/cancelled"))
				.singleElement()
				.satisfies((seen) -> assertThat(seen.message().path("params").path("requestId").asString())
					.isEqualTo("call-7"));
		}
	}

	@Test
	void aResponseToNothingATargetAskedIsTakenAndGoesNowhere() {
		for (String id : List.of("7", "\"srv.bm90LWpzb24\"", "\"srv.WyJub2JvZHkiLG51bGwsMV0\"")) {
			McpRequests.post(this.client, "/internal/mcp", null, this.session)
				.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}")
				.exchange()
				.expectStatus()
				.isAccepted();
		}
		assertThat(alpha.seen()).isEmpty();
		assertThat(beta.seen()).isEmpty();
	}

	@Test
	void aResponseToATargetsRequestGoesToThatTargetWithItsOwnId() {
		// What Atrium gives a request of alpha with id 12, as a client would echo it.
		String id = ServerRequestIds.encode("alpha", null, IntNode.valueOf(12));
		McpRequests.post(this.client, "/internal/mcp", null, this.session)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"result\":{\"action\":\"decline\"}}")
			.exchange()
			.expectStatus()
			.isAccepted();
		assertThat(alpha.seen()).singleElement().satisfies((seen) -> {
			assertThat(seen.message().path("id").asInt()).isEqualTo(12);
			assertThat(seen.message().path("result").path("action").asString()).isEqualTo("decline");
		});
		assertThat(beta.seen()).isEmpty();
	}

}
