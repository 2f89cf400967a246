package dev.atrium.e2e.support;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An MCP server built with the official MCP Java SDK and served over streamable HTTP by
 * the SDK's own servlet transport ({@link HttpServletStreamableServerTransportProvider})
 * in an embedded Tomcat bound to {@code 127.0.0.1} on a free port.
 * <p>
 * It plays a real, independently written upstream for the gateway's end-to-end tests:
 * <ul>
 * <li>tools {@code reverse} ({@code text}), {@code multiply} ({@code a}, {@code b}),
 * {@code whoami} (the {@code x-*} and {@code authorization} headers of the HTTP request
 * that carried the call, as a JSON object), all three annotated read-only;
 * {@code add_note} (annotated a non-destructive write), {@code clear_notes} (annotated
 * destructive), {@code fail} (always a result with {@code isError=true}, no annotations)
 * and {@link Options#bulkTools(int) any number} of generated {@code bulk_001},
 * {@code bulk_002}... tools;</li>
 * <li>a resource {@value #WELCOME_URI} and a resource template {@value #NOTE_TEMPLATE}
 * that echoes the id;</li>
 * <li>a prompt {@code summarize} with a required argument {@code topic}.</li>
 * </ul>
 * A servlet filter in front of the SDK records every HTTP request (method, headers,
 * session id, JSON-RPC method), so a test can tell whether the gateway reuses an upstream
 * session or initializes a new one per call.
 *
 * @see JavaSdkClients
 */
public final class JavaSdkUpstream implements AutoCloseable {

	/** Path of the MCP endpoint. */
	public static final String MCP_PATH = "/mcp";

	/** URI of the static text resource. */
	public static final String WELCOME_URI = "notes://welcome";

	/** URI template of the resource that echoes its id. */
	public static final String NOTE_TEMPLATE = "notes://{id}";

	private static final String NOTE_PREFIX = "notes://";

	private static final String HEADERS_KEY = "atrium.e2e.headers";

	/**
	 * Marks the requests this fixture sends to itself (see {@link #expireSession}) so
	 * that they are not recorded as traffic from the peer under test.
	 */
	private static final String INTERNAL_HEADER = "atrium-e2e-fixture-internal";

	private static final String CATALINA_BASE = "catalina.base";

	private static final String CATALINA_HOME = "catalina.home";

	private static final AtomicInteger instances = new AtomicInteger();

	private final Options options;

	private final Tomcat tomcat;

	private final Path baseDir;

	private final McpSyncServer server;

	private final Recorder recorder;

	private final int port;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private JavaSdkUpstream(Options options, Tomcat tomcat, Path baseDir, McpSyncServer server, Recorder recorder,
			int port) {
		this.options = options;
		this.tomcat = tomcat;
		this.baseDir = baseDir;
		this.server = server;
		this.recorder = recorder;
		this.port = port;
	}

	/**
	 * Start an upstream with the {@link Options#defaults() default options}.
	 * @return the running upstream
	 */
	public static JavaSdkUpstream start() {
		return start(Options.defaults());
	}

	/**
	 * Start an upstream.
	 * @param options the options
	 * @return the running upstream
	 */
	public static JavaSdkUpstream start(Options options) {
		McpJsonMapper json = McpJsonDefaults.getMapper();
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(json)
			.mcpEndpoint(MCP_PATH)
			.contextExtractor(JavaSdkUpstream::forwardedHeaders)
			// Neither server pings (answered by POSTs) nor idle-session eviction may
			// add or remove traffic behind a test's back.
			.keepAliveInterval(null)
			.sessionSweepInterval(null)
			.build();
		McpSyncServer server = McpServer.sync(transport)
			.serverInfo(options.serverName, "1.0.0")
			.capabilities(
					McpSchema.ServerCapabilities.builder().tools(true).resources(false, true).prompts(true).build())
			// The servlet thread blocks on the response anyway: run handlers on it.
			.immediateExecution(true)
			.tools(tools(options, json))
			.resources(welcome(options))
			.resourceTemplates(note())
			.prompts(summarize())
			.build();
		Recorder recorder = new Recorder(json);
		Path baseDir = null;
		Tomcat tomcat = null;
		// Embedded Tomcat points these JVM-wide properties at the first base directory
		// it sees, and every later Tomcat in the JVM (the gateway's too) would make that
		// directory again after it is deleted: leave them as they were.
		String catalinaBase = System.getProperty(CATALINA_BASE);
		String catalinaHome = System.getProperty(CATALINA_HOME);
		try {
			baseDir = Files.createTempDirectory("atrium-sdk-upstream");
			tomcat = tomcat(baseDir, options.port, transport, recorder);
			tomcat.start();
			Connector connector = tomcat.getConnector();
			if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
				throw new IllegalStateException("Tomcat could not listen on 127.0.0.1:" + options.port);
			}
			return new JavaSdkUpstream(options, tomcat, baseDir, server, recorder, connector.getLocalPort());
		}
		catch (IOException | LifecycleException | RuntimeException ex) {
			stopQuietly(tomcat, server, baseDir);
			throw new IllegalStateException("Could not start the Java SDK upstream", ex);
		}
		finally {
			restoreProperty(CATALINA_BASE, catalinaBase);
			restoreProperty(CATALINA_HOME, catalinaHome);
		}
	}

	private static void restoreProperty(String name, String value) {
		if (value != null) {
			System.setProperty(name, value);
		}
		else {
			System.clearProperty(name);
		}
	}

	private static Tomcat tomcat(Path baseDir, int port, HttpServletStreamableServerTransportProvider transport,
			Recorder recorder) throws UnknownHostException {
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(baseDir.toString());
		// A name of its own, so that several instances (and the gateway's own Tomcat)
		// in one JVM do not register clashing JMX names.
		tomcat.getEngine().setName("atrium-sdk-upstream-" + instances.incrementAndGet());
		Connector connector = new Connector(Http11NioProtocol.class.getName());
		connector.setPort(port);
		// Loopback only: this server must never be reachable from another host.
		((Http11NioProtocol) connector.getProtocolHandler())
			.setAddress(InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 }));
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", baseDir.toString());
		if (context instanceof StandardContext standardContext) {
			// These leak checks need --add-opens and only warn about the shared JVM.
			standardContext.setClearReferencesRmiTargets(false);
			standardContext.setClearReferencesThreadLocals(false);
		}
		Tomcat.addServlet(context, "mcp", transport).setAsyncSupported(true);
		context.addServletMappingDecoded(MCP_PATH, "mcp");
		FilterDef filterDef = new FilterDef();
		filterDef.setFilterName("recorder");
		filterDef.setFilter(recorder);
		// Every filter in the chain must allow async, or the SDK's startAsync fails.
		filterDef.setAsyncSupported("true");
		context.addFilterDef(filterDef);
		FilterMap filterMap = new FilterMap();
		filterMap.setFilterName("recorder");
		filterMap.addURLPatternDecoded("/*");
		context.addFilterMap(filterMap);
		return tomcat;
	}

	/**
	 * The endpoint URL, {@code http://127.0.0.1:PORT/mcp}.
	 * @return the MCP endpoint URL
	 */
	public String mcpUrl() {
		return "http://127.0.0.1:" + this.port + MCP_PATH;
	}

	/**
	 * The port Tomcat listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The name this server gives in its {@code initialize} result.
	 * @return the server name
	 */
	public String serverName() {
		return this.options.serverName;
	}

	/**
	 * How many {@code initialize} requests reached this server.
	 * @return the number of {@code initialize} requests
	 */
	public int initializeCount() {
		return this.recorder.initializeCount.get();
	}

	/**
	 * The HTTP requests received so far, oldest first. Requests are recorded when they
	 * arrive, before they are handled, so a request whose response a client has seen is
	 * always there.
	 * @return a snapshot of the recorded requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.recorder.requests);
	}

	/**
	 * The recorded requests that carried the given JSON-RPC method.
	 * @param jsonRpcMethod the JSON-RPC method, for example {@code tools/call}
	 * @return a snapshot of the matching requests
	 */
	public List<RecordedRequest> requests(String jsonRpcMethod) {
		return this.recorder.requests.stream()
			.filter((request) -> jsonRpcMethod.equals(request.jsonRpcMethod()))
			.toList();
	}

	/**
	 * Wait until a request that matches the condition has been received, for traffic that
	 * a peer sends on its own time (an SSE {@code GET}, a {@code DELETE} on close).
	 * @param condition the condition
	 * @param timeout how long to wait at most
	 * @return the first matching request
	 * @throws AssertionError if none arrived in time
	 */
	public RecordedRequest awaitRequest(Predicate<RecordedRequest> condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.recorder.lock.lock();
		try {
			while (true) {
				for (RecordedRequest request : this.recorder.requests) {
					if (condition.test(request)) {
						return request;
					}
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new AssertionError("No matching request within " + timeout + "; received " + requests());
				}
				this.recorder.recorded.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			this.recorder.lock.unlock();
		}
	}

	/**
	 * The session ids this server issued and that were neither deleted by their client
	 * nor {@link #expireSession expired}, in the order they were issued.
	 * @return the active session ids
	 */
	public Set<String> sessionIds() {
		synchronized (this.recorder.sessionIds) {
			return Collections.unmodifiableSet(new LinkedHashSet<>(this.recorder.sessionIds));
		}
	}

	/**
	 * How many HTTP requests carried the given {@code Mcp-Session-Id}.
	 * @param sessionId the session id
	 * @return the number of requests
	 */
	public int requestCount(String sessionId) {
		return this.recorder.requestsPerSession.getOrDefault(sessionId, 0);
	}

	/**
	 * How many HTTP requests carried each {@code Mcp-Session-Id}.
	 * @return a snapshot, by session id
	 */
	public Map<String, Integer> requestCountsBySession() {
		return Map.copyOf(this.recorder.requestsPerSession);
	}

	/**
	 * Forget the recorded requests, counts and the {@code initialize} count, so that a
	 * test can look at one phase of its traffic only. Sessions stay open.
	 */
	public void clearRecordings() {
		this.recorder.requests.clear();
		this.recorder.requestsPerSession.clear();
		this.recorder.initializeCount.set(0);
	}

	/**
	 * End a session on the server side, as the SDK does on a {@code DELETE}, so that the
	 * next request carrying its id is answered {@code 404}: what a client sees of an
	 * upstream that restarted or timed the session out. The {@code DELETE} is not
	 * recorded.
	 * @param sessionId the session id
	 * @return {@code true} if the server knew the session
	 */
	public boolean expireSession(String sessionId) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(mcpUrl()))
			.header(HttpHeaders.MCP_SESSION_ID, sessionId)
			.header(INTERNAL_HEADER, "expire")
			.timeout(Duration.ofSeconds(10))
			.DELETE()
			.build();
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stop abruptly, as a crashed or unplugged upstream would: the connector stops first,
	 * with no MCP-level shutdown, so that the port refuses connections at once and there
	 * is no window of {@code 503} answers. Open connections end at once: Tomcat times out
	 * pending async requests (SSE streams, calls in flight) when its connector stops, so
	 * a client sees its stream end without an event, or a reset. Then the MCP server and
	 * Tomcat are released. Does nothing if already stopped.
	 */
	public void kill() {
		if (this.stopped.compareAndSet(false, true)) {
			Connector connector = this.tomcat.getConnector();
			try {
				connector.stop();
			}
			catch (LifecycleException ex) {
				// Go on: the rest of the shutdown releases it all the same.
			}
			stopQuietly(this.tomcat, this.server, this.baseDir);
		}
	}

	/**
	 * Stop gracefully: the MCP server closes its sessions (ending their SSE streams; it
	 * answers {@code 503} to requests meanwhile), then Tomcat stops and the port refuses
	 * connections. Does nothing if already stopped.
	 */
	@Override
	public void close() {
		if (this.stopped.compareAndSet(false, true)) {
			try {
				this.server.closeGracefully();
			}
			finally {
				stopQuietly(this.tomcat, this.server, this.baseDir);
			}
		}
	}

	private static void stopQuietly(Tomcat tomcat, McpSyncServer server, Path baseDir) {
		if (tomcat != null) {
			try {
				tomcat.stop();
				tomcat.destroy();
			}
			catch (LifecycleException ex) {
				// Nothing more can be done; the port is released with the connector.
			}
		}
		server.close();
		if (baseDir != null) {
			deleteRecursively(baseDir);
		}
	}

	private static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			// Deepest first, so that each directory is empty when it is deleted.
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// A leftover temporary directory (Tomcat's work dir) is harmless.
		}
	}

	@Override
	public String toString() {
		return "JavaSdkUpstream[" + this.options.serverName + " at " + mcpUrl() + "]";
	}

	// The headers a gateway may forward or add, made available to tool handlers
	// through the exchange's transport context.
	private static McpTransportContext forwardedHeaders(HttpServletRequest request) {
		Map<String, String> headers = new TreeMap<>();
		for (String name : Collections.list(request.getHeaderNames())) {
			String lowerCase = name.toLowerCase(Locale.ROOT);
			if (lowerCase.startsWith("x-") || lowerCase.equals("authorization")) {
				headers.put(lowerCase, String.join(", ", Collections.list(request.getHeaders(name))));
			}
		}
		return McpTransportContext.create(Map.of(HEADERS_KEY, headers));
	}

	private static final ToolAnnotations READ_ONLY = new ToolAnnotations(null, true, false, true, false, null);

	private static List<SyncToolSpecification> tools(Options options, McpJsonMapper json) {
		List<SyncToolSpecification> tools = new ArrayList<>();
		tools.add(tool("reverse", "Reverses a text", objectSchema(Map.of("text", Map.of("type", "string")), "text"),
				READ_ONLY,
				(exchange, request) -> text(new StringBuilder(stringArgument(request, "text")).reverse().toString())));
		tools.add(tool("multiply", "Multiplies two numbers",
				objectSchema(Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")), "a", "b"), READ_ONLY,
				(exchange, request) -> text(formatNumber(
						numberArgument(request, "a").doubleValue() * numberArgument(request, "b").doubleValue()))));
		tools.add(tool("whoami", "Returns the x-* and authorization headers this server received as JSON",
				objectSchema(Map.of()), READ_ONLY, (exchange, request) -> text(toJson(json, headers(exchange)))));
		tools.add(tool("add_note", "Adds a note (a write that destroys nothing)", objectSchema(Map.of()),
				new ToolAnnotations(null, false, false, false, false, null), (exchange, request) -> text("noted")));
		tools.add(tool("clear_notes", "Deletes every note", objectSchema(Map.of()),
				new ToolAnnotations(null, false, true, true, false, null), (exchange, request) -> text("cleared")));
		tools.add(tool("fail", "Always fails with isError=true", objectSchema(Map.of()), null,
				(exchange, request) -> CallToolResult.builder()
					.isError(true)
					.addTextContent("fail: this tool always fails")
					.build()));
		for (int i = 1; i <= options.bulkTools; i++) {
			String name = bulkToolName(i);
			tools.add(tool(name, "Generated tool number " + i, objectSchema(Map.of()), null,
					(exchange, request) -> text(name + " ok")));
		}
		return tools;
	}

	/**
	 * Adds a tool that answers with its name, while the server runs; the SDK tells every
	 * session with a standalone stream open ({@code notifications/tools/list_changed}).
	 * @param name the tool's name
	 */
	public void addTool(String name) {
		this.server.addTool(tool(name, "Added while the server runs", objectSchema(Map.of()), null,
				(exchange, request) -> text(name + " ok")));
	}

	/**
	 * Adds tools that ask their client, while the server runs: {@code ask_name} elicits a
	 * {@code name} (form mode) and answers {@code hello <name>}, or {@code declined}
	 * without one; {@code ask_model} samples one message and answers with its text. The
	 * SDK asks only clients that declared the capability, and fails the call otherwise.
	 */
	public void addAskingTools() {
		this.server
			.addTool(tool("ask_name", "Asks the user for a name", objectSchema(Map.of()), null, (exchange, request) -> {
				McpSchema.ElicitResult answer = exchange
					.createElicitation(
							McpSchema.ElicitFormRequest
								.builder("Your name?",
										Map.of("type", "object", "properties",
												Map.of("name", Map.of("type", "string"))))
								.build());
				Object name = (answer.content() != null) ? answer.content().get("name") : null;
				return text((answer.action() == McpSchema.ElicitResult.Action.ACCEPT && name != null) ? "hello " + name
						: "declined");
			}));
		this.server
			.addTool(tool("ask_model", "Asks the client's model", objectSchema(Map.of()), null, (exchange, request) -> {
				McpSchema.CreateMessageResult answer = exchange.createMessage(McpSchema.CreateMessageRequest.builder()
					.messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
							new McpSchema.TextContent("Capital of France?"))))
					.maxTokens(20)
					.build());
				return text("model said " + ((McpSchema.TextContent) answer.content()).text());
			}));
	}

	/**
	 * The name of the generated tool number {@code i}, for example {@code bulk_007}.
	 * @param i the tool's number, from 1
	 * @return the tool name
	 */
	public static String bulkToolName(int i) {
		return String.format(Locale.ROOT, "bulk_%03d", i);
	}

	private static SyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema,
			ToolAnnotations annotations, BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		Tool tool = Tool.builder(name, inputSchema).description(description).annotations(annotations).build();
		return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
	}

	private static Map<String, Object> objectSchema(Map<String, Object> properties, String... required) {
		return Map.of("type", "object", "properties", properties, "required", List.of(required));
	}

	private static CallToolResult text(String text) {
		return CallToolResult.builder().addTextContent(text).build();
	}

	private static String stringArgument(CallToolRequest request, String name) {
		Object value = (request.arguments() != null) ? request.arguments().get(name) : null;
		if (!(value instanceof String string)) {
			throw invalidParams("Argument '" + name + "' must be a string");
		}
		return string;
	}

	private static Number numberArgument(CallToolRequest request, String name) {
		Object value = (request.arguments() != null) ? request.arguments().get(name) : null;
		if (!(value instanceof Number number)) {
			throw invalidParams("Argument '" + name + "' must be a number");
		}
		return number;
	}

	private static McpError invalidParams(String message) {
		return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
	}

	// 6 * 7 reads "42", not "42.0", so tests can compare whole numbers as text.
	private static String formatNumber(double value) {
		if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return Double.toString(value);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> headers(McpSyncServerExchange exchange) {
		Object headers = exchange.transportContext().get(HEADERS_KEY);
		return (headers != null) ? (Map<String, String>) headers : Map.of();
	}

	private static String toJson(McpJsonMapper json, Object value) {
		try {
			return json.writeValueAsString(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static SyncResourceSpecification welcome(Options options) {
		Resource resource = Resource.builder(WELCOME_URI, "welcome")
			.description("A welcome note")
			.mimeType("text/plain")
			.build();
		return new SyncResourceSpecification(resource, (exchange, request) -> textResource(request.uri(),
				"Welcome to " + options.serverName + ", an MCP Java SDK server"));
	}

	private static SyncResourceTemplateSpecification note() {
		ResourceTemplate template = ResourceTemplate.builder(NOTE_TEMPLATE, "note")
			.description("A note that echoes its id")
			.mimeType("text/plain")
			.build();
		return new SyncResourceTemplateSpecification(template, (exchange, request) -> textResource(request.uri(),
				"note " + request.uri().substring(NOTE_PREFIX.length())));
	}

	private static ReadResourceResult textResource(String uri, String text) {
		ResourceContents contents = TextResourceContents.builder(uri, text).mimeType("text/plain").build();
		return ReadResourceResult.builder(List.of(contents)).build();
	}

	private static SyncPromptSpecification summarize() {
		Prompt prompt = Prompt.builder("summarize")
			.description("Asks for a summary of a topic")
			.arguments(List.of(PromptArgument.builder("topic").description("What to summarize").required(true).build()))
			.build();
		return new SyncPromptSpecification(prompt, (exchange, request) -> {
			Object topic = (request.arguments() != null) ? request.arguments().get("topic") : null;
			// The SDK does not check required prompt arguments itself.
			if (topic == null) {
				throw invalidParams("Missing required argument: topic");
			}
			PromptMessage message = PromptMessage
				.builder(McpSchema.Role.USER, TextContent.builder("Please summarize: " + topic).build())
				.build();
			return GetPromptResult.builder(List.of(message)).description("Summary of " + topic).build();
		});
	}

	/**
	 * Options of a {@link JavaSdkUpstream}. Immutable: each method returns a copy.
	 */
	public static final class Options {

		private final String serverName;

		private final int bulkTools;

		private final int port;

		private Options(String serverName, int bulkTools, int port) {
			this.serverName = serverName;
			this.bulkTools = bulkTools;
			this.port = port;
		}

		/**
		 * Server name {@code java-sdk-upstream}, no generated tools, a free port.
		 * @return the default options
		 */
		public static Options defaults() {
			return new Options("java-sdk-upstream", 0, 0);
		}

		/**
		 * The name given in the {@code initialize} result.
		 * @param serverName the server name
		 * @return new options
		 */
		public Options serverName(String serverName) {
			return new Options(serverName, this.bulkTools, this.port);
		}

		/**
		 * How many {@code bulk_NNN} tools to add, for pagination and scale tests.
		 * @param bulkTools the number of generated tools
		 * @return new options
		 */
		public Options bulkTools(int bulkTools) {
			if (bulkTools < 0) {
				throw new IllegalArgumentException("bulkTools must not be negative");
			}
			return new Options(this.serverName, bulkTools, this.port);
		}

		/**
		 * The port to listen on; {@code 0} (the default) picks a free one. A fixed port
		 * lets a test bring an upstream back where a {@link JavaSdkUpstream#kill()
		 * killed} one was.
		 * @param port the port
		 * @return new options
		 */
		public Options port(int port) {
			return new Options(this.serverName, this.bulkTools, port);
		}

	}

	/**
	 * One HTTP request received by the upstream.
	 *
	 * @param method the HTTP method
	 * @param path the request path
	 * @param headers the headers, by lower-case name
	 * @param sessionId the {@code Mcp-Session-Id} header, or {@code null}
	 * @param jsonRpcMethod the JSON-RPC method of the body, or {@code null} for a
	 * response, a body that is not JSON-RPC, or no body; for a batch, the first method
	 * @param body the body as text, empty if none
	 */
	public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String sessionId,
			String jsonRpcMethod, String body) {

		/**
		 * The first value of a header.
		 * @param name the header name, in any case
		 * @return the first value, or {@code null} if absent
		 */
		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

	}

	/**
	 * Records each request before the SDK sees it, and follows sessions through the
	 * {@code Mcp-Session-Id} the SDK sets on responses.
	 */
	private static final class Recorder implements Filter {

		private final McpJsonMapper json;

		private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

		private final Map<String, Integer> requestsPerSession = new ConcurrentHashMap<>();

		private final Set<String> sessionIds = new LinkedHashSet<>();

		private final AtomicInteger initializeCount = new AtomicInteger();

		private final Lock lock = new ReentrantLock();

		// Signalled on every recorded request, for awaitRequest.
		private final Condition recorded = this.lock.newCondition();

		Recorder(McpJsonMapper json) {
			this.json = json;
		}

		@Override
		public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
				throws IOException, ServletException {
			HttpServletRequest request = (HttpServletRequest) servletRequest;
			HttpServletResponse response = (HttpServletResponse) servletResponse;
			byte[] body = request.getInputStream().readAllBytes();
			Charset charset = (request.getCharacterEncoding() != null) ? Charset.forName(request.getCharacterEncoding())
					: StandardCharsets.UTF_8;
			String text = new String(body, charset);
			String sessionId = request.getHeader(HttpHeaders.MCP_SESSION_ID);
			if (request.getHeader(INTERNAL_HEADER) == null) {
				record(request, sessionId, text);
			}
			chain.doFilter(new CachedBodyRequest(request, body), new SessionTrackingResponse(request, response));
		}

		private void record(HttpServletRequest request, String sessionId, String body) {
			String jsonRpcMethod = jsonRpcMethod(body);
			if ("initialize".equals(jsonRpcMethod)) {
				this.initializeCount.incrementAndGet();
			}
			if (sessionId != null) {
				this.requestsPerSession.merge(sessionId, 1, Integer::sum);
			}
			RecordedRequest recordedRequest = new RecordedRequest(request.getMethod(), request.getRequestURI(),
					headers(request), sessionId, jsonRpcMethod, body);
			this.lock.lock();
			try {
				this.requests.add(recordedRequest);
				this.recorded.signalAll();
			}
			finally {
				this.lock.unlock();
			}
		}

		private static Map<String, List<String>> headers(HttpServletRequest request) {
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (String name : Collections.list(request.getHeaderNames())) {
				headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>())
					.addAll(Collections.list(request.getHeaders(name)));
			}
			headers.replaceAll((name, values) -> List.copyOf(values));
			return Collections.unmodifiableMap(headers);
		}

		private String jsonRpcMethod(String body) {
			if (body.isBlank()) {
				return null;
			}
			try {
				Object message = this.json.readValue(body, Object.class);
				if (message instanceof List<?> batch && !batch.isEmpty()) {
					message = batch.get(0);
				}
				return (message instanceof Map<?, ?> map && map.get("method") instanceof String method) ? method : null;
			}
			catch (IOException | RuntimeException ex) {
				// Not JSON: the SDK answers it with its own error, recorded as such.
				return null;
			}
		}

		private void sessionIssued(String sessionId) {
			synchronized (this.sessionIds) {
				this.sessionIds.add(sessionId);
			}
		}

		private void sessionEnded(String sessionId) {
			synchronized (this.sessionIds) {
				this.sessionIds.remove(sessionId);
			}
		}

		/**
		 * Sees the SDK set the session header or the status of a {@code DELETE} before
		 * anything is sent, so that the bookkeeping is done before a client can act on
		 * the response.
		 */
		private final class SessionTrackingResponse extends HttpServletResponseWrapper {

			private final HttpServletRequest request;

			SessionTrackingResponse(HttpServletRequest request, HttpServletResponse response) {
				super(response);
				this.request = request;
			}

			@Override
			public void setHeader(String name, String value) {
				sessionHeader(name, value);
				super.setHeader(name, value);
			}

			@Override
			public void addHeader(String name, String value) {
				sessionHeader(name, value);
				super.addHeader(name, value);
			}

			@Override
			public void setStatus(int status) {
				String sessionId = this.request.getHeader(HttpHeaders.MCP_SESSION_ID);
				if ("DELETE".equals(this.request.getMethod()) && status == HttpServletResponse.SC_OK
						&& sessionId != null) {
					sessionEnded(sessionId);
				}
				super.setStatus(status);
			}

			private void sessionHeader(String name, String value) {
				if (HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name) && value != null) {
					sessionIssued(value);
				}
			}

		}

	}

	/**
	 * Hands the SDK the body the recorder already read.
	 */
	private static final class CachedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is already read");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			Charset charset = (getCharacterEncoding() != null) ? Charset.forName(getCharacterEncoding())
					: StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(this.body), charset));
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
