package dev.atrium.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
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
 * An MCP server on loopback that speaks exactly one revision of the streamable HTTP
 * transport, written from the specification because no SDK the project uses speaks
 * 2026-07-28 yet (MCP Java SDK 2.1.0 and the TypeScript SDK 1.32.2 stop at 2025-11-25).
 * <ul>
 * <li>2025-03-26, 2025-06-18, 2025-11-25: {@code initialize} answers with its revision
 * and mints an {@code Mcp-Session-Id}; every later request needs that session (400
 * without, 404 unknown), and from 2025-06-18 a {@code MCP-Protocol-Version} header, when
 * sent, must name the revision (400 otherwise).</li>
 * <li>2026-07-28: no session; {@code MCP-Protocol-Version}, {@code Mcp-Method} and, for
 * {@code tools/call}, {@code Mcp-Name} are required and must match the body
 * ({@code -32020}, 400); the body's {@code _meta} must carry the revision and the client
 * capabilities; another revision is {@code -32022} (400); {@code server/discover} is
 * answered; an unknown method is {@code -32601} with 404; results carry
 * {@code resultType} and list results caching hints.</li>
 * </ul>
 * Its tool {@code whoami} says which revision served it and in which session. The
 * 2026-07-28 one also has {@code ask}, a multi round-trip request: without
 * {@code inputResponses} it answers {@code input_required} with an elicitation and a
 * {@code requestState}; retried with both, it answers with what the client gave.
 * <p>
 * Every revision lists one resource, {@code rev://status}, and announces
 * {@code listChanged} for tools and resources and {@code subscribe} for resources. What
 * it sends outside calls ({@link #changeTools()}, {@link #updateStatus()}) goes, for the
 * older revisions, on the standalone {@code GET} stream of each session (one per session,
 * 409 for a second), a resource update only in sessions that sent
 * {@code resources/subscribe} for it; for 2026-07-28, on every
 * {@code subscriptions/listen} stream that opted in to it, after the acknowledgment and
 * tagged with the subscription's id.
 */
public final class RevisionTarget implements AutoCloseable {

	public static final String MODERN = "2026-07-28";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A tool whose {@code region} argument is mirrored into {@code Mcp-Param-Region}. */
	private static final String LOCATE = """
			{"name":"locate","inputSchema":{"type":"object","properties":{
			 "region":{"type":"string","x-mcp-header":"Region"}}}}""";

	public static final String STATUS_URI = "rev://status";

	private static final String CAPABILITIES = "{\"tools\":{\"listChanged\":true},"
			+ "\"resources\":{\"listChanged\":true,\"subscribe\":true}}";

	private static final String RESOURCES = "\"resources\":[{\"uri\":\"" + STATUS_URI + "\",\"name\":\"status\"}]";

	private static final String TOOLS = "\"tools\":[{\"name\":\"whoami\",\"inputSchema\":{\"type\":\"object\"}}]";

	private final String revision;

	private final DisposableServer server;

	private final Set<String> sessions = ConcurrentHashMap.newKeySet();

	private final AtomicInteger sessionCount = new AtomicInteger();

	private final List<LocalMcpTarget.Seen> seen = new CopyOnWriteArrayList<>();

	private final Set<String> methodsEverSeen = ConcurrentHashMap.newKeySet();

	/** The open streams of what is sent outside calls, each with what it takes. */
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	/** How many of the next {@code initialize} requests are refused, as if down. */
	private final AtomicInteger initializeRefusals = new AtomicInteger();

	/** The sessions that subscribed to {@code rev://status}. */
	private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

	private RevisionTarget(String revision) {
		this.revision = revision;
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	public static RevisionTarget start(String revision) {
		return new RevisionTarget(revision);
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.port() + "/mcp";
	}

	public String revision() {
		return this.revision;
	}

	/** Every request that reached the target, in order. */
	public List<LocalMcpTarget.Seen> seen() {
		return List.copyOf(this.seen);
	}

	/** Every method that ever reached the target, {@link #reset()} or not. */
	public Set<String> methodsEverSeen() {
		return Set.copyOf(this.methodsEverSeen);
	}

	/** How many sessions {@code initialize} opened. */
	public int sessionsOpened() {
		return this.sessionCount.get();
	}

	/** Refuses the next {@code initialize} with 503, as a target that is down. */
	public void refuseNextInitialize() {
		this.initializeRefusals.incrementAndGet();
	}

	/** How many streams of what is sent outside calls are open. */
	public int openStreams() {
		return this.listeners.size();
	}

	/** Announces that the tools changed, on every stream. */
	public void changeTools() {
		this.listeners.forEach((listener) -> listener.send("notifications/tools/list_changed", null));
	}

	/** Announces that {@code rev://status} changed, where it was subscribed to. */
	public void updateStatus() {
		this.listeners.stream()
			.filter((listener) -> listener.subscriptionId() != null || this.subscribed.contains(listener.session()))
			.forEach((listener) -> listener.send("notifications/resources/updated", STATUS_URI));
	}

	/**
	 * Forgets every session, as a restarted server would, and ends the standalone streams
	 * of those sessions.
	 */
	public void forgetSessions() {
		this.sessions.clear();
		this.subscribed.clear();
		this.listeners.stream()
			.filter((listener) -> listener.session() != null)
			.forEach((listener) -> listener.sink().tryEmitComplete());
	}

	/** Sends a log message on every stream, which no one subscribes to. */
	public void log() {
		this.listeners.forEach((listener) -> listener.send("notifications/message", null));
	}

	public void reset() {
		this.seen.clear();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		if (request.method().name().equals("DELETE")) {
			this.sessions.remove(request.requestHeaders().get("Mcp-Session-Id"));
			return response.status(MODERN.equals(this.revision) ? HttpResponseStatus.METHOD_NOT_ALLOWED
					: HttpResponseStatus.NO_CONTENT)
				.send();
		}
		if (request.method().name().equals("GET")) {
			return standaloneStream(request.requestHeaders().get("Mcp-Session-Id"), response);
		}
		return request.receive().aggregate().asString().flatMap((body) -> {
			JsonNode message = JSON.readTree(body);
			Map<String, String> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach((header) -> headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
			this.methodsEverSeen.add(message.path("method").asString(""));
			this.seen.add(new LocalMcpTarget.Seen(request.uri(), message.path("method").asString(""), headers, body,
					message));
			return Mono.from(MODERN.equals(this.revision) ? modern(message, headers, response)
					: legacy(message, headers, response));
		});
	}

	private Publisher<Void> legacy(JsonNode message, Map<String, String> headers, HttpServerResponse response) {
		JsonNode id = message.get("id");
		String method = message.path("method").asString("");
		if (method.equals("initialize") && this.initializeRefusals.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			return json(response, HttpResponseStatus.SERVICE_UNAVAILABLE, error(id, -32000, "Down for a moment"));
		}
		if (method.equals("initialize")) {
			String session = "s-" + this.revision + "-" + this.sessionCount.incrementAndGet();
			this.sessions.add(session);
			return json(response.header("Mcp-Session-Id", session), HttpResponseStatus.OK,
					result(id, "{\"protocolVersion\":\"" + this.revision + "\",\"capabilities\":" + CAPABILITIES + ","
							+ "\"serverInfo\":{\"name\":\"rev-" + this.revision + "\",\"version\":\"1\"}}"));
		}
		String session = headers.get("mcp-session-id");
		if (session == null) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32000, "Bad Request: No valid session ID provided"));
		}
		if (!this.sessions.contains(session)) {
			return json(response, HttpResponseStatus.NOT_FOUND, error(id, -32001, "Session not found"));
		}
		String version = headers.get("mcp-protocol-version");
		if (!this.revision.equals("2025-03-26") && version != null && !version.equals(this.revision)) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32000, "Bad Request: Unsupported protocol version: " + version));
		}
		if (id == null) {
			return response.status(HttpResponseStatus.ACCEPTED).send();
		}
		return switch (method) {
			case "ping" -> json(response, HttpResponseStatus.OK, result(id, "{}"));
			case "tools/list" -> json(response, HttpResponseStatus.OK, result(id, "{" + TOOLS + "}"));
			case "tools/call" -> json(response, HttpResponseStatus.OK, result(id, whoami(session)));
			case "resources/list" -> json(response, HttpResponseStatus.OK, result(id, "{" + RESOURCES + "}"));
			case "resources/templates/list" ->
				json(response, HttpResponseStatus.OK, result(id, "{\"resourceTemplates\":[]}"));
			case "resources/subscribe" -> {
				if (STATUS_URI.equals(message.path("params").path("uri").asString(""))) {
					this.subscribed.add(session);
				}
				yield json(response, HttpResponseStatus.OK, result(id, "{}"));
			}
			default -> json(response, HttpResponseStatus.OK, error(id, -32601, "Method not found"));
		};
	}

	private Publisher<Void> modern(JsonNode message, Map<String, String> headers, HttpServerResponse response) {
		JsonNode id = message.get("id");
		String method = message.path("method").asString("");
		String version = headers.get("mcp-protocol-version");
		JsonNode meta = message.path("params").path("_meta");
		if (id == null) {
			return response.status(HttpResponseStatus.ACCEPTED).send();
		}
		if (version == null || !method.equals(headers.get("mcp-method"))) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32020, "Header mismatch: MCP-Protocol-Version and Mcp-Method are required"));
		}
		if (method.equals("tools/call")
				&& !message.path("params").path("name").asString("").equals(headers.get("mcp-name"))) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32020, "Header mismatch: Mcp-Name does not match params.name"));
		}
		if (!version.equals(meta.path("io.modelcontextprotocol/protocolVersion").asString(""))) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32020, "Header mismatch: MCP-Protocol-Version does not match _meta"));
		}
		if (!version.equals(MODERN)) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					"{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32022,\"message\":"
							+ "\"Unsupported protocol version\",\"data\":{\"supported\":[\"" + MODERN
							+ "\"],\"requested\":\"" + version + "\"}}}");
		}
		if (!meta.path("io.modelcontextprotocol/clientCapabilities").isObject()) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32602, "_meta io.modelcontextprotocol/clientCapabilities is required"));
		}
		String serverInfo = "\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"rev-" + MODERN
				+ "\",\"version\":\"1\"}}";
		return switch (method) {
			case "server/discover" -> json(response, HttpResponseStatus.OK,
					result(id,
							"{\"resultType\":\"complete\",\"supportedVersions\":[\"" + MODERN + "\"],\"capabilities\":"
									+ CAPABILITIES + "," + serverInfo + ",\"ttlMs\":60000,\"cacheScope\":\"public\"}"));
			case "tools/list" ->
				json(response, HttpResponseStatus.OK,
						result(id,
								"{\"resultType\":\"complete\","
										+ TOOLS
											.replace("]",
													",{\"name\":\"ask\",\"inputSchema\":{\"type\":\"object\"}},"
															+ LOCATE + "]")
										+ ",\"ttlMs\":60000,\"cacheScope\":\"public\"}"));
			case "tools/call" -> switch (message.path("params").path("name").asString("")) {
				case "ask" -> json(response, HttpResponseStatus.OK, result(id, ask(message.path("params"))));
				case "locate" -> locate(id, message.path("params").path("arguments"), headers, response);
				default -> json(response, HttpResponseStatus.OK, result(id, whoami(null)));
			};
			case "resources/list" -> json(response, HttpResponseStatus.OK, result(id,
					"{\"resultType\":\"complete\"," + RESOURCES + ",\"ttlMs\":60000,\"cacheScope\":\"public\"}"));
			case "resources/templates/list" -> json(response, HttpResponseStatus.OK, result(id,
					"{\"resultType\":\"complete\",\"resourceTemplates\":[],\"ttlMs\":60000,\"cacheScope\":\"public\"}"));
			case "subscriptions/listen" -> listen(id, message.path("params").path("notifications"), response);
			default -> json(response, HttpResponseStatus.NOT_FOUND, error(id, -32601, "Method not found"));
		};
	}

	/**
	 * The standalone stream of a session of an older revision: one per session, as a
	 * server may allow.
	 */
	private Publisher<Void> standaloneStream(String session, HttpServerResponse response) {
		if (MODERN.equals(this.revision)) {
			return response.status(HttpResponseStatus.METHOD_NOT_ALLOWED).send();
		}
		if (session == null || !this.sessions.contains(session)) {
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		if (this.listeners.stream().anyMatch((listener) -> session.equals(listener.session()))) {
			return response.status(HttpResponseStatus.CONFLICT).send();
		}
		Listener listener = new Listener(session, null, true, true, Sinks.many().unicast().onBackpressureBuffer());
		return stream(response, listener, Flux.empty());
	}

	/**
	 * A 2026-07-28 {@code subscriptions/listen}: acknowledged, then what it opted in to.
	 */
	private Publisher<Void> listen(JsonNode id, JsonNode filter, HttpServerResponse response) {
		boolean tools = filter.path("toolsListChanged").asBoolean(false);
		boolean status = false;
		for (JsonNode uri : filter.path("resourceSubscriptions")) {
			status |= STATUS_URI.equals(uri.asString(""));
		}
		Listener listener = new Listener(null, id, tools, status, Sinks.many().unicast().onBackpressureBuffer());
		String acknowledged = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\","
				+ "\"params\":{\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":" + id + "},\"notifications\":"
				+ filter + "}}";
		return stream(response, listener, Flux.just(acknowledged));
	}

	private Publisher<Void> stream(HttpServerResponse response, Listener listener, Flux<String> first) {
		Flux<String> events = Flux.concat(first, listener.sink().asFlux())
			.map((data) -> "event: message\ndata: " + data + "\n\n")
			.doOnSubscribe((subscription) -> this.listeners.add(listener))
			.doFinally((signal) -> this.listeners.remove(listener));
		return response.status(HttpResponseStatus.OK)
			.header("Content-Type", "text/event-stream")
			.sendString(events, java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * An open stream of what is sent outside calls.
	 *
	 * @param session the session of an older revision's standalone stream
	 * @param subscriptionId the id of a 2026-07-28 {@code subscriptions/listen}
	 * @param tools whether it takes tool list changes
	 * @param status whether it takes updates of {@code rev://status} (the session's
	 * subscription decides for an older revision)
	 */
	private record Listener(String session, JsonNode subscriptionId, boolean tools, boolean status,
			Sinks.Many<String> sink) {

		void send(String method, String uri) {
			boolean wanted = switch (method) {
				case "notifications/tools/list_changed" -> this.tools;
				case "notifications/resources/updated" -> this.status;
				default -> this.subscriptionId == null;
			};
			if (!wanted) {
				return;
			}
			String meta = (this.subscriptionId != null)
					? "\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":" + this.subscriptionId + "}" : "";
			String params = switch (method) {
				case "notifications/resources/updated" ->
					"{\"uri\":\"" + uri + "\"" + (meta.isEmpty() ? "" : "," + meta) + "}";
				case "notifications/message" -> "{\"level\":\"info\",\"data\":\"hello\"}";
				default -> "{" + meta + "}";
			};
			this.sink.tryEmitNext("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}");
		}

	}

	/** Checks {@code Mcp-Param-Region} against the argument, as a server must. */
	private static Publisher<Void> locate(JsonNode id, JsonNode arguments, Map<String, String> headers,
			HttpServerResponse response) {
		String region = arguments.path("region").asString("");
		if (!region.equals(headers.get("mcp-param-region"))) {
			return json(response, HttpResponseStatus.BAD_REQUEST,
					error(id, -32020, "Header mismatch: Mcp-Param-Region does not match arguments.region"));
		}
		return json(response, HttpResponseStatus.OK, result(id,
				"{\"resultType\":\"complete\",\"content\":[{\"type\":\"text\",\"text\":\"in " + region + "\"}]}"));
	}

	/** A multi round-trip tool: first an elicitation, then what the client answered. */
	private static String ask(JsonNode params) {
		JsonNode answer = params.path("inputResponses").path("name").path("content").path("name");
		if (answer.isMissingNode() || !"asked-1".equals(params.path("requestState").asString(""))) {
			return """
					{"resultType":"input_required","requestState":"asked-1","inputRequests":{"name":{
					 "method":"elicitation/create","params":{"mode":"form","message":"Your name?",
					 "requestedSchema":{"type":"object","properties":{"name":{"type":"string"}}}}}}}""";
		}
		return "{\"resultType\":\"complete\",\"content\":[{\"type\":\"text\",\"text\":\"hello " + answer.asString()
				+ "\"}]}";
	}

	/** What {@code whoami} answers; {@code resultType} only in 2026-07-28. */
	private String whoami(String session) {
		String text = "served " + this.revision + " in session " + ((session != null) ? session : "none");
		String resultType = MODERN.equals(this.revision) ? "\"resultType\":\"complete\"," : "";
		return "{" + resultType + "\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}";
	}

	private static Publisher<Void> json(HttpServerResponse response, HttpResponseStatus status, String body) {
		return response.status(status).header("Content-Type", "application/json").sendString(Mono.just(body));
	}

	private static String result(JsonNode id, String result) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
	}

	private static String error(JsonNode id, int code, String message) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + ((id != null) ? id : "null") + ",\"error\":{\"code\":" + code
				+ ",\"message\":\"" + message + "\"}}";
	}

}
