package dev.atrium.gateway;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An MCP target on a free loopback port at {@code /mcp} whose tool {@code wait} answers
 * with an SSE stream that stays open until the test ends it ({@link #finishOne()}), and
 * whose tool {@code quick} answers with plain JSON. Each stream starts with a progress
 * notification, so that the client sees the stream open at once.
 */
public final class StreamingTarget implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DisposableServer server;

	private final Queue<OpenCall> open = new ConcurrentLinkedQueue<>();

	private final AtomicInteger sessions = new AtomicInteger();

	private StreamingTarget() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/mcp", this::post)
				.get("/mcp", (request, response) -> response.status(405).send())
				.delete("/mcp", (request, response) -> response.status(204).send()))
			.bindNow();
	}

	public static StreamingTarget start() {
		return new StreamingTarget();
	}

	/** The URL of its MCP endpoint. */
	public String url() {
		return "http://127.0.0.1:" + this.server.port() + "/mcp";
	}

	/** How many {@code wait} streams are open now. */
	public int openStreams() {
		return this.open.size();
	}

	/** Answers the oldest open {@code wait} call and ends its stream. */
	public void finishOne() {
		OpenCall call = this.open.poll();
		if (call == null) {
			throw new IllegalStateException("No stream is open");
		}
		call.events().tryEmitNext(message(result(call.id(), "done")));
		call.events().tryEmitComplete();
	}

	/** Ends every open stream. */
	public void finishAll() {
		while (!this.open.isEmpty()) {
			finishOne();
		}
	}

	private Mono<Void> post(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().flatMap((body) -> {
			JsonNode message = JSON.readTree(body);
			JsonNode id = message.get("id");
			String method = message.path("method").asString();
			if (id == null) {
				return response.status(202).send().then();
			}
			return switch (method) {
				case "initialize" -> json(response.header("Mcp-Session-Id", "s-" + this.sessions
					.incrementAndGet()), "{\"jsonrpc\":\"2.0\",\"id\":" + id
							+ ",\"result\":{\"protocolVersion\":\"2025-11-25\","
							+ "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"streamer\",\"version\":\"1\"}}}");
				case "tools/list" -> json(response,
						"{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"tools\":["
								+ "{\"name\":\"wait\",\"inputSchema\":{\"type\":\"object\"}},"
								+ "{\"name\":\"quick\",\"inputSchema\":{\"type\":\"object\"}}]}}");
				case "tools/call" -> "wait".equals(message.at("/params/name").asString()) ? stream(response, id)
						: json(response, result(id, "quick"));
				default -> json(response, "{\"jsonrpc\":\"2.0\",\"id\":" + id
						+ ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
			};
		});
	}

	private Mono<Void> stream(HttpServerResponse response, JsonNode id) {
		Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();
		OpenCall call = new OpenCall(id, events);
		this.open.add(call);
		String progress = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
				+ "\"params\":{\"progressToken\":\"t\",\"progress\":0}}";
		Flux<String> body = Flux.concat(Flux.just(message(progress)), events.asFlux())
			// Atrium went away (its client did): the call is no longer open.
			.doOnCancel(() -> this.open.remove(call));
		return response.header("Content-Type", "text/event-stream").sendString(body).then();
	}

	private static Mono<Void> json(HttpServerResponse response, String body) {
		return response.header("Content-Type", "application/json").sendString(Mono.just(body)).then();
	}

	private static String result(JsonNode id, String text) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text
				+ "\"}]}}";
	}

	private static String message(String json) {
		return "event: message\ndata: " + json + "\n\n";
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	private record OpenCall(JsonNode id, Sinks.Many<String> events) {
	}

}
