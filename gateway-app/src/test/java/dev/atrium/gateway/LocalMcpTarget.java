package dev.atrium.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stateless MCP target on loopback whose tool calls can be made to fail, hang or
 * stream, and which counts the calls that reach it. Its tools:
 * <ul>
 * <li>{@code echo} ({@code message}), not idempotent;</li>
 * <li>{@code lookup}, annotated read-only, so idempotent;</li>
 * <li>{@code progress} ({@code count}, {@code intervalMs}): an SSE stream of progress
 * notifications, then its result;</li>
 * <li>{@code silent}: an SSE stream of one progress notification, then nothing.</li>
 * </ul>
 * Initialize and list requests are always answered, so that its catalog stays readable
 * whatever its tool calls do.
 */
public final class LocalMcpTarget implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String TOOLS = """
			{"tools":[
			 {"name":"echo","inputSchema":{"type":"object"}},
			 {"name":"lookup","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}},
			 {"name":"progress","inputSchema":{"type":"object"}},
			 {"name":"silent","inputSchema":{"type":"object"}}]}""";

	private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ANSWER);

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private final AtomicInteger calls = new AtomicInteger();

	private final DisposableServer server;

	private final List<Seen> seen = new CopyOnWriteArrayList<>();

	private LocalMcpTarget() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	public static LocalMcpTarget start() {
		return new LocalMcpTarget();
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.port() + "/mcp";
	}

	/** How every tool call is answered from now on. */
	public void mode(Mode mode) {
		this.mode.set(mode);
		this.failuresLeft.set(0);
	}

	/** The next tool calls fail with HTTP 500, the ones after them are answered. */
	public void failNext(int calls) {
		this.mode.set(Mode.ANSWER);
		this.failuresLeft.set(calls);
	}

	/** The tool calls that reached the target. */
	public int calls() {
		return this.calls.get();
	}

	public void reset() {
		mode(Mode.ANSWER);
		this.calls.set(0);
		this.seen.clear();
	}

	/** Every request that reached the target, in order. */
	public List<Seen> seen() {
		return List.copyOf(this.seen);
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().flatMap((body) -> {
			JsonNode message = JSON.readTree(body);
			Map<String, String> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach((header) -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
			this.seen.add(new Seen(request.uri(), message.path("method").asString(""), headers, body, message));
			return Mono.from(answer(message, response));
		});
	}

	private Publisher<Void> answer(JsonNode message, HttpServerResponse response) {
		JsonNode id = message.get("id");
		if (id == null) {
			return response.status(HttpResponseStatus.ACCEPTED).send();
		}
		return switch (message.path("method").asString("")) {
			case "initialize" -> json(response, result(id, """
					{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},
					 "serverInfo":{"name":"local","version":"1"}}"""));
			case "tools/list" -> json(response, result(id, TOOLS));
			case "tools/call" -> call(message.path("params"), id, response);
			default -> json(response, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,"
					+ "\"message\":\"Method not found\"}}");
		};
	}

	private Publisher<Void> call(JsonNode params, JsonNode id, HttpServerResponse response) {
		this.calls.incrementAndGet();
		Mode now = (this.failuresLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) ? Mode.FAIL : this.mode.get();
		if (now == Mode.FAIL) {
			return response.status(HttpResponseStatus.INTERNAL_SERVER_ERROR).sendString(Mono.just("boom"));
		}
		if (now == Mode.HANG) {
			return Mono.never();
		}
		JsonNode arguments = params.path("arguments");
		return switch (params.path("name").asString("")) {
			case "progress" -> sse(response,
					Flux.interval(Duration.ofMillis(arguments.path("intervalMs").asLong(100)))
						.take(arguments.path("count").asLong(3))
						.map((i) -> progress(i + 1))
						.concatWithValues(result(id, text("done"))));
			case "silent" -> sse(response, Flux.just(progress(1)).concatWith(Mono.never()));
			default -> json(response, result(id, text(arguments.path("message").asString("ok"))));
		};
	}

	private static Publisher<Void> json(HttpServerResponse response, String body) {
		return response.header("Content-Type", "application/json").sendString(Mono.just(body));
	}

	private static Publisher<Void> sse(HttpServerResponse response, Flux<String> messages) {
		return response.header("Content-Type", "text/event-stream")
			.sendString(messages.map((message) -> "event: message\ndata: " + message + "\n\n"));
	}

	private static String result(JsonNode id, String result) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
	}

	private static String text(String text) {
		return "{\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
	}

	private static String progress(long progress) {
		return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"p\","
				+ "\"progress\":" + progress + "}}";
	}

	/**
	 * One request as the target received it.
	 *
	 * @param uri its path and query, as sent
	 * @param method its JSON-RPC method
	 * @param headers its headers, names in lower case
	 * @param body its body, as sent
	 * @param message its JSON-RPC message
	 */
	public record Seen(String uri, String method, Map<String, String> headers, String body, JsonNode message) {

	}

	/** How tool calls are answered. */
	public enum Mode {

		/** As the tool says. */
		ANSWER,

		/** HTTP 500, not JSON-RPC. */
		FAIL,

		/** Never. */
		HANG

	}

}
