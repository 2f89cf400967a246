package dev.atrium.gateway.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.atrium.gateway.McpRequests;
import dev.atrium.gateway.StreamingTarget;
import dev.atrium.mcp.transport.StreamSlots;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cap on SSE streams per client, on a running Atrium relaying a target whose tool
 * {@code wait} streams until the test ends it. Every test ends with no slot held, which
 * is how leaks would show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.server.max-streams-per-client=2", "atrium.session.keys[0].id=test",
				"atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters",
				"atrium.scenarios.internal.targets=streamer", "atrium.scenarios.consumer.targets=streamer",
				"atrium.scenarios.consumer.anonymous=false", "atrium.scenarios.consumer.issuers=atrium-sts",
				"atrium.sts.clients.agent-b.secret=agent-b-secret",
				"atrium.sts.clients.agent-b.grant-types=client-credentials",
				"atrium.sts.clients.agent-b.scopes=mcp:read,mcp:write" })
@ActiveProfiles("anonymous")
class StreamLimitRouteTests {

	private static final StreamingTarget TARGET = StreamingTarget.start();

	/** Anonymous callers are counted by address; the tests all come from loopback. */
	private static final String LOOPBACK = "address 127.0.0.1";

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	StreamSlots slots;

	@Autowired
	MeterRegistry registry;

	private final List<Call> calls = new ArrayList<>();

	@DynamicPropertySource
	static void target(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.streamer.url", TARGET::url);
		// A client that goes away is waited for this long before its call is cancelled.
		registry.add("atrium.streams.resume-window", () -> "200ms");
	}

	@AfterAll
	static void stopTarget() {
		TARGET.close();
	}

	@AfterEach
	void noSlotIsLeft() {
		TARGET.finishAll();
		this.calls.forEach((call) -> call.subscription().dispose());
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.slots.total()).isZero());
	}

	@Test
	void theStreamBeyondTheCapGets429AndASlotReturnsWhenAStreamEnds() {
		String session = McpRequests.initialize(client(), "/internal/mcp", null);
		Call first = call("/internal/mcp", null, session, "streamer___wait");
		Call second = call("/internal/mcp", null, session, "streamer___wait");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.headers().getContentType().equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM)).isTrue();
		assertThat(second.status()).isEqualTo(200);
		Call third = call("/internal/mcp", null, session, "streamer___wait");
		assertThat(third.status()).isEqualTo(429);
		assertThat(third.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(third.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"" + third.id()
				+ "\",\"error\":{\"code\":-32600,\"message\":\"Too Many Requests: this client has 2 SSE streams open, "
				+ "the most allowed; retry when one ends\"}}");
		assertThat(TARGET.openStreams()).as("the refused call never reached the target").isEqualTo(2);
		assertThat(this.slots.open(LOOPBACK)).isEqualTo(2);
		assertThat(this.registry.get("atrium.mcp.streams.open").gauge().value()).isEqualTo(2);
		TARGET.finishOne();
		await().atMost(WAIT).until(first.ended()::get);
		assertThat(first.events()).last().asString().contains("\"text\":\"done\"");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.slots.open(LOOPBACK)).isEqualTo(1));
		assertThat(this.registry.get("atrium.mcp.streams.open").gauge().value()).isEqualTo(1);
		assertThat(call("/internal/mcp", null, session, "streamer___wait").status()).isEqualTo(200);
	}

	@Test
	void aClientThatGoesAwayGivesItsSlotBackAndItsTargetStreamIsClosed() {
		String session = McpRequests.initialize(client(), "/internal/mcp", null);
		Call first = call("/internal/mcp", null, session, "streamer___wait");
		call("/internal/mcp", null, session, "streamer___wait");
		assertThat(this.slots.open(LOOPBACK)).isEqualTo(2);
		first.subscription().dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.slots.open(LOOPBACK)).isEqualTo(1));
		await().atMost(WAIT).untilAsserted(() -> assertThat(TARGET.openStreams()).isEqualTo(1));
		assertThat(call("/internal/mcp", null, session, "streamer___wait").status()).isEqualTo(200);
	}

	@Test
	void whatIsNotAStreamIsServedAtTheCapAndGivesItsSlotBackAtOnce() {
		String session = McpRequests.initialize(client(), "/internal/mcp", null);
		call("/internal/mcp", null, session, "streamer___wait");
		for (int i = 0; i < 5; i++) {
			Call quick = call("/internal/mcp", null, session, "streamer___quick");
			assertThat(quick.status()).isEqualTo(200);
			assertThat(quick.headers().getContentType().equalsTypeAndSubtype(MediaType.APPLICATION_JSON)).isTrue();
			await().atMost(WAIT).untilAsserted(() -> assertThat(this.slots.open(LOOPBACK)).isEqualTo(1));
		}
		call("/internal/mcp", null, session, "streamer___wait");
		McpRequests.post(client(), "/internal/mcp", null, session)
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void passThroughStreamsCountWithTheScenarioStreamsOfTheSameClient() {
		String session = McpRequests.initialize(client(), "/internal/mcp", null);
		String passThrough = "/internal/targets/streamer/mcp";
		assertThat(call("/internal/mcp", null, session, "streamer___wait").status()).isEqualTo(200);
		Call proxied = call(passThrough, null, "s-1", "wait");
		assertThat(proxied.status()).isEqualTo(200);
		assertThat(proxied.headers().getContentType().equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM)).isTrue();
		Call refused = call(passThrough, null, "s-1", "wait");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(refused.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
				+ "\"message\":\"Too Many Requests: this client has 2 SSE streams open, the most allowed; "
				+ "retry when one ends\"}}");
		assertThat(call("/internal/mcp", null, session, "streamer___wait").status()).isEqualTo(429);
		assertThat(TARGET.openStreams()).isEqualTo(2);
		proxied.subscription().dispose();
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.slots.open(LOOPBACK)).isEqualTo(1));
		Call quick = call(passThrough, null, "s-1", "quick");
		assertThat(quick.status()).isEqualTo(200);
		assertThat(quick.body()).contains("\"text\":\"quick\"");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.slots.open(LOOPBACK)).isEqualTo(1));
	}

	@Test
	void authenticatedCallersAreCountedEachOnTheirOwn() {
		WebTestClient client = client();
		String alice = McpRequests.stsToken(client, "local-dev", "local-dev-secret");
		String bob = McpRequests.stsToken(client, "agent-b", "agent-b-secret");
		String aliceSession = McpRequests.initialize(client, "/consumer/mcp", alice);
		String bobSession = McpRequests.initialize(client, "/consumer/mcp", bob);
		call("/consumer/mcp", alice, aliceSession, "streamer___wait");
		call("/consumer/mcp", alice, aliceSession, "streamer___wait");
		assertThat(call("/consumer/mcp", alice, aliceSession, "streamer___wait").status()).isEqualTo(429);
		assertThat(call("/consumer/mcp", bob, bobSession, "streamer___wait").status()).isEqualTo(200);
		assertThat(this.slots.total()).isEqualTo(3);
		assertThat(this.slots.open(LOOPBACK)).isZero();
	}

	private WebTestClient client() {
		return McpRequests.client(this.port);
	}

	/**
	 * Calls a tool and returns once the answer's head is in; the body goes on arriving
	 * until the stream ends or the test disposes the call.
	 */
	private Call call(String path, String token, String session, String tool) {
		String id = "call-" + this.calls.size();
		CompletableFuture<Head> head = new CompletableFuture<>();
		List<String> events = new CopyOnWriteArrayList<>();
		AtomicBoolean ended = new AtomicBoolean();
		Disposable subscription = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.newConnection()))
			.baseUrl("http://127.0.0.1:" + this.port)
			.build()
			.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> {
				if (token != null) {
					headers.setBearerAuth(token);
				}
				headers.set("Mcp-Session-Id", session);
			})
			.bodyValue("{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"tools/call\",\"params\":{\"name\":\""
					+ tool + "\",\"arguments\":{}}}")
			.exchangeToFlux((response) -> {
				head.complete(new Head(response.statusCode().value(), response.headers().asHttpHeaders()));
				return response.bodyToFlux(String.class);
			})
			.subscribe(events::add, (ex) -> ended.set(true), () -> ended.set(true));
		try {
			Head received = head.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			Call call = new Call(id, received.status(), received.headers(), events, ended, subscription);
			this.calls.add(call);
			return call;
		}
		catch (Exception ex) {
			subscription.dispose();
			throw new AssertionError("No answer to " + tool + " on " + path, ex);
		}
	}

	private record Head(int status, HttpHeaders headers) {
	}

	/**
	 * A tool call as the client sees it.
	 *
	 * @param id its JSON-RPC id
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param events the SSE data, or the JSON body, received so far
	 * @param ended whether the body ended
	 * @param subscription disposing it closes the client's connection
	 */
	private record Call(String id, int status, HttpHeaders headers, List<String> events, AtomicBoolean ended,
			Disposable subscription) {

		/** The whole body, once it ended. */
		String body() {
			await().atMost(WAIT).until(this.ended::get);
			return String.join("", this.events);
		}

	}

}
