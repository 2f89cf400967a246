package dev.atrium.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends one fixed MCP message to one endpoint, many times, over a bounded pool of
 * HTTP/1.1 connections (Reactor Netty). An answer counts as correct when it is a 200
 * whose body carries the expected text.
 */
public final class McpLoadClient implements AutoCloseable {

	private static final byte[] INITIALIZED = McpMessages.INITIALIZED.getBytes(StandardCharsets.UTF_8);

	private final ConnectionProvider connections;

	private final HttpClient client;

	private final String uri;

	private final byte[] body;

	private final String expected;

	/**
	 * @param endpoint where to send, with its token and session
	 * @param body the message
	 * @param expected text a correct answer contains
	 * @param maxConnections the pool size; requests beyond it wait for a connection
	 */
	public McpLoadClient(McpEndpoint endpoint, String body, String expected, int maxConnections) {
		this.connections = ConnectionProvider.builder("bench-" + endpoint.name())
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofSeconds(60))
			.build();
		this.client = HttpClient.create(this.connections).responseTimeout(Duration.ofSeconds(30)).headers((headers) -> {
			headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			headers.set(HttpHeaderNames.ACCEPT, McpEndpoint.ACCEPT);
			headers.set("MCP-Protocol-Version", McpEndpoint.PROTOCOL_VERSION);
			if (endpoint.token() != null) {
				headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + endpoint.token());
			}
			if (endpoint.sessionId() != null) {
				headers.set("Mcp-Session-Id", endpoint.sessionId());
			}
		});
		// Not a base URL: Reactor Netty would append a slash to it.
		this.uri = endpoint.uri().toString();
		this.body = body.getBytes(StandardCharsets.UTF_8);
		this.expected = expected;
	}

	/**
	 * One request: completes with whether the answer was correct, never with an error.
	 */
	public Mono<Boolean> send() {
		return this.client.post()
			.uri(this.uri)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
			.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> response.status().code() == 200 && text.contains(this.expected)))
			.onErrorReturn(false);
	}

	/**
	 * Opens a session: sends this client's message (an {@code initialize}), then
	 * {@code notifications/initialized} on the session it opened.
	 * @return the session id
	 */
	public Mono<String> openSession() {
		return this.client.post()
			.uri(this.uri)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
			.responseSingle((response,
					content) -> content.then(Mono.justOrEmpty((response.status().code() == 200)
							? response.responseHeaders().get("Mcp-Session-Id") : null)))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("initialize opened no session")))
			.flatMap(
					(id) -> this.client.headers((headers) -> headers.set("Mcp-Session-Id", id))
						.post()
						.uri(this.uri)
						.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(INITIALIZED)))
						.responseSingle((response, content) -> content.then((response.status().code() == 202)
								? Mono.just(id)
								: Mono.error(new IllegalStateException("initialized answered " + response.status())))));
	}

	/**
	 * One request whose answer is a stream: its chunks as they arrive. The connection is
	 * held until the stream ends or the subscriber cancels.
	 */
	public Flux<ByteBuf> stream() {
		return this.client.post()
			.uri(this.uri)
			.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
			.responseContent();
	}

	/**
	 * Opens the standalone stream of a session ({@code GET} on the MCP endpoint): its
	 * chunks as they arrive, the first being Atrium's priming event. The connection is
	 * held until the subscriber cancels.
	 * @param sessionId the session whose stream it is
	 */
	public Flux<ByteBuf> listen(String sessionId) {
		// Quiet for as long as the server has nothing to say: no read timeout.
		return this.client.responseTimeout(null)
			.headers((headers) -> headers.set("Mcp-Session-Id", sessionId)
				.set(HttpHeaderNames.ACCEPT, "text/event-stream")
				.remove(HttpHeaderNames.CONTENT_TYPE))
			.get()
			.uri(this.uri)
			.responseContent();
	}

	@Override
	public void close() {
		this.connections.disposeLater().block(Duration.ofSeconds(10));
	}

}
