package dev.atrium.benchmarks.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import dev.atrium.benchmarks.harness.ParentWatch;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The MCP server every benchmark path ends at: stateless streamable HTTP (no session id),
 * JSON answers, written on Reactor Netty directly so that it is not the bottleneck.
 * <ul>
 * <li>{@code POST /mcp}: tools {@code echo} ({@code message}), {@code add} ({@code a},
 * {@code b}) and {@code slow} ({@code seconds}, {@code intervalMs}), which answers with
 * an SSE stream of progress notifications and then its result;</li>
 * <li>{@code POST /bulk/{k}/mcp}: a target of {@value #BULK_TOOLS} tools, {@code echo}
 * and {@code tool_001}...; their descriptions carry a generation that
 * {@code POST /admin/bump} increases, so that a gateway sees its catalog change.</li>
 * </ul>
 * Run as its own process: {@code BenchUpstream [port]} prints {@code LISTENING <port>}
 * once it serves, and stops when its standard input closes ({@link ParentWatch}) or on a
 * signal.
 */
public final class BenchUpstream {

	/** Tools of each bulk target. */
	public static final int BULK_TOOLS = 100;

	/** What it prints, followed by its port, once it serves. */
	public static final String LISTENING = "LISTENING ";

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String LATEST = "2025-11-25";

	private static final byte[] EMPTY = new byte[0];

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final AtomicLong generation = new AtomicLong();

	private final byte[] mainTools;

	BenchUpstream() {
		this.mainTools = this.mapper.writeValueAsBytes(mainTools());
	}

	public static void main(String[] args) throws InterruptedException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 0;
		DisposableServer server = new BenchUpstream().start(port);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.disposeNow(Duration.ofSeconds(2));
			stopped.countDown();
		}));
		System.out.println(LISTENING + server.port());
		System.out.flush();
		ParentWatch.exitWhenStdinCloses();
		stopped.await();
	}

	DisposableServer start(int port) {
		return HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow();
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		String uri = request.uri();
		int query = uri.indexOf('?');
		String path = (query < 0) ? uri : uri.substring(0, query);
		boolean post = HttpMethod.POST.equals(request.method());
		if (post && path.equals("/admin/bump")) {
			long next = this.generation.incrementAndGet();
			return response.sendString(Mono.just(Long.toString(next)));
		}
		boolean main = path.equals("/mcp");
		boolean bulk = path.startsWith("/bulk/") && path.endsWith("/mcp");
		if (!main && !bulk) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		if (!post) {
			return response.status(HttpResponseStatus.METHOD_NOT_ALLOWED).header(HttpHeaderNames.ALLOW, "POST").send();
		}
		return request.receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(EMPTY)
			.flatMap((body) -> Mono.from(answer(body, main, response)));
	}

	private Publisher<Void> answer(byte[] body, boolean main, HttpServerResponse response) {
		JsonNode message;
		try {
			message = this.mapper.readTree(body);
		}
		catch (RuntimeException ex) {
			return json(response, HttpResponseStatus.BAD_REQUEST, error(NODES.nullNode(), -32700, "Parse error"));
		}
		JsonNode id = message.get("id");
		String method = message.path("method").asString("");
		if (id == null) {
			// Notifications and responses: accepted, nothing to answer.
			return response.status(HttpResponseStatus.ACCEPTED).header(HttpHeaderNames.CONTENT_LENGTH, "0").send();
		}
		JsonNode params = message.path("params");
		return switch (method) {
			case "initialize" -> json(response, HttpResponseStatus.OK, result(id, initializeResult(params)));
			case "ping" -> json(response, HttpResponseStatus.OK, result(id, NODES.objectNode()));
			case "tools/list" -> toolsList(response, id, main);
			case "tools/call" -> call(response, id, params);
			default -> json(response, HttpResponseStatus.OK, error(id, -32601, "Method not found: " + method));
		};
	}

	private Publisher<Void> toolsList(HttpServerResponse response, JsonNode id, boolean main) {
		if (main) {
			byte[] prefix = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":").getBytes(StandardCharsets.UTF_8);
			byte[] bytes = new byte[prefix.length + this.mainTools.length + 1];
			System.arraycopy(prefix, 0, bytes, 0, prefix.length);
			System.arraycopy(this.mainTools, 0, bytes, prefix.length, this.mainTools.length);
			bytes[bytes.length - 1] = '}';
			return send(response, HttpResponseStatus.OK, bytes);
		}
		return json(response, HttpResponseStatus.OK, result(id, bulkTools(this.generation.get())));
	}

	private Publisher<Void> call(HttpServerResponse response, JsonNode id, JsonNode params) {
		String name = params.path("name").asString("");
		JsonNode arguments = params.path("arguments");
		return switch (name) {
			case "echo" ->
				json(response, HttpResponseStatus.OK, result(id, text(arguments.path("message").asString(""))));
			case "add" -> json(response, HttpResponseStatus.OK,
					result(id, text(Long.toString(arguments.path("a").asLong() + arguments.path("b").asLong()))));
			case "slow" -> slow(response, id, params, arguments);
			default -> name.startsWith("tool_") ? json(response, HttpResponseStatus.OK, result(id, text(name)))
					: json(response, HttpResponseStatus.OK, error(id, -32602, "Unknown tool: " + name));
		};
	}

	/**
	 * A long-running call that streams: a progress notification every interval, then the
	 * result. The stream stops when the client goes away.
	 */
	private Publisher<Void> slow(HttpServerResponse response, JsonNode id, JsonNode params, JsonNode arguments) {
		int seconds = Math.max(1, arguments.path("seconds").asInt(10));
		long intervalMs = Math.max(10, arguments.path("intervalMs").asLong(1000));
		JsonNode token = params.path("_meta").path("progressToken");
		long total = Math.max(1, seconds * 1000L / intervalMs);
		Flux<String> progress = Flux.interval(Duration.ZERO, Duration.ofMillis(intervalMs))
			.take(total)
			.map((tick) -> event(progress(token.isMissingNode() ? NODES.stringNode("slow") : token, tick, total)));
		Flux<String> events = progress.concatWith(Mono.fromSupplier(() -> event(result(id, text("done")))));
		return response.status(HttpResponseStatus.OK)
			.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
			.header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
			.sendString(events);
	}

	private String event(ObjectNode message) {
		return "event: message\ndata: " + this.mapper.writeValueAsString(message) + "\n\n";
	}

	private static ObjectNode progress(JsonNode token, long tick, long total) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		node.put("method", "notifications/progress");
		ObjectNode params = node.putObject("params");
		params.set("progressToken", token);
		params.put("progress", tick + 1);
		params.put("total", total);
		return node;
	}

	private Publisher<Void> json(HttpServerResponse response, HttpResponseStatus status, ObjectNode message) {
		return send(response, status, this.mapper.writeValueAsBytes(message));
	}

	private static Publisher<Void> send(HttpServerResponse response, HttpResponseStatus status, byte[] bytes) {
		return response.status(status)
			.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length))
			.sendByteArray(Mono.just(bytes));
	}

	private static ObjectNode initializeResult(JsonNode params) {
		ObjectNode result = NODES.objectNode();
		String requested = params.path("protocolVersion").asString(LATEST);
		result.put("protocolVersion", switch (requested) {
			case "2025-11-25", "2025-06-18", "2025-03-26" -> requested;
			default -> LATEST;
		});
		result.putObject("capabilities").putObject("tools").put("listChanged", false);
		ObjectNode info = result.putObject("serverInfo");
		info.put("name", "atrium-bench-upstream");
		info.put("version", "1.0.0");
		return result;
	}

	private static ObjectNode mainTools() {
		ObjectNode result = NODES.objectNode();
		ArrayNode tools = result.putArray("tools");
		tools.add(tool("echo", "Returns its message", "message", "string"));
		ObjectNode add = tool("add", "Adds two integers", "a", "integer");
		((ObjectNode) add.path("inputSchema").path("properties")).putObject("b").put("type", "integer");
		tools.add(add);
		ObjectNode slow = tool("slow", "Streams progress for a while, then answers", "seconds", "integer");
		((ObjectNode) slow.path("inputSchema").path("properties")).putObject("intervalMs").put("type", "integer");
		tools.add(slow);
		return result;
	}

	static ObjectNode bulkTools(long generation) {
		ObjectNode result = NODES.objectNode();
		ArrayNode tools = result.putArray("tools");
		tools.add(tool("echo", "Returns its message (generation " + generation + ")", "message", "string"));
		for (int i = 1; i < BULK_TOOLS; i++) {
			tools.add(tool("tool_%03d".formatted(i), "Bulk tool " + i + " (generation " + generation + ")", "input",
					"string"));
		}
		return result;
	}

	private static ObjectNode tool(String name, String description, String argument, String type) {
		ObjectNode tool = NODES.objectNode();
		tool.put("name", name);
		tool.put("description", description);
		ObjectNode schema = tool.putObject("inputSchema");
		schema.put("type", "object");
		schema.putObject("properties").putObject(argument).put("type", type);
		return tool;
	}

	private static ObjectNode text(String text) {
		ObjectNode result = NODES.objectNode();
		ObjectNode content = result.putArray("content").addObject();
		content.put("type", "text");
		content.put("text", text);
		result.put("isError", false);
		return result;
	}

	private static ObjectNode result(JsonNode id, ObjectNode result) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		node.set("id", id);
		node.set("result", result);
		return node;
	}

	private static ObjectNode error(JsonNode id, int code, String message) {
		ObjectNode node = NODES.objectNode();
		node.put("jsonrpc", "2.0");
		node.set("id", id);
		ObjectNode error = node.putObject("error");
		error.put("code", code);
		error.put("message", message);
		return node;
	}

}
