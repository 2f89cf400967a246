package dev.atrium.e2e.support;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult.CompleteCompletion;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * The fixture server of the official MCP conformance suite
 * ({@code @modelcontextprotocol/conformance}, {@link NodePeers#CONFORMANCE_VERSION}),
 * written with the MCP Java SDK and served over streamable HTTP by the SDK's servlet
 * transport in an embedded Tomcat on {@code 127.0.0.1}.
 * <p>
 * It offers exactly the names the suite's server scenarios call, with the answers their
 * descriptions ask for:
 * <ul>
 * <li>tools {@code test_simple_text}, {@code test_image_content},
 * {@code test_audio_content}, {@code test_embedded_resource},
 * {@code test_multiple_content_types}, {@code test_tool_with_logging} (three
 * {@code notifications/message}), {@code test_tool_with_progress} (progress 0, 50, 100 on
 * the caller's token), {@code test_error_handling} ({@code isError}),
 * {@code test_sampling} ({@code sampling/createMessage} to the client),
 * {@code test_elicitation}, {@code test_elicitation_sep1034_defaults} and
 * {@code test_elicitation_sep1330_enums} ({@code elicitation/create} to the client),
 * {@code test_reconnection} and {@code json_schema_2020_12_tool} (an input schema with
 * {@code $schema}, {@code $defs} and {@code additionalProperties});</li>
 * <li>resources {@code test://static-text}, {@code test://static-binary},
 * {@code test://watched-resource} (subscribable) and the template
 * {@code test://template/{id}/data};</li>
 * <li>prompts {@code test_simple_prompt}, {@code test_prompt_with_arguments}
 * ({@code arg1}, {@code arg2}, also completable),
 * {@code test_prompt_with_embedded_resource} ({@code resourceUri}) and
 * {@code test_prompt_with_image};</li>
 * <li>{@code logging/setLevel}, {@code completion/complete}, and Host and Origin checks
 * against DNS rebinding (loopback names only).</li>
 * </ul>
 * The SDK's servlet transport neither numbers its SSE events nor can close a stream in
 * the middle of a call, so {@code test_reconnection} simply answers.
 */
public final class ConformanceUpstream implements AutoCloseable {

	/** Path of the MCP endpoint. */
	public static final String MCP_PATH = "/mcp";

	/** A 1x1 red PNG. */
	static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

	/** A WAV file with one sample. */
	static final String WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

	private static final Map<String, Object> NO_ARGUMENTS = Map.of("type", "object", "properties", Map.of());

	private static final String CATALINA_BASE = "catalina.base";

	private static final String CATALINA_HOME = "catalina.home";

	private static final AtomicInteger instances = new AtomicInteger();

	private final Tomcat tomcat;

	private final Path baseDir;

	private final McpSyncServer server;

	private final int port;

	private final AtomicBoolean stopped = new AtomicBoolean();

	private ConformanceUpstream(Tomcat tomcat, Path baseDir, McpSyncServer server, int port) {
		this.tomcat = tomcat;
		this.baseDir = baseDir;
		this.server = server;
		this.port = port;
	}

	/**
	 * Start the fixture on a free loopback port.
	 * @return the running fixture
	 */
	public static ConformanceUpstream start() {
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
			.jsonMapper(McpJsonDefaults.getMapper())
			.mcpEndpoint(MCP_PATH)
			.keepAliveInterval(null)
			.securityValidator(DefaultServerTransportSecurityValidator.builder()
				.allowedHosts(List.of("127.0.0.1:*", "localhost:*"))
				.allowedOrigins(List.of("http://127.0.0.1:*", "http://localhost:*"))
				.build())
			.build();
		McpSyncServer server = McpServer.sync(transport)
			.serverInfo("atrium-conformance-fixture", "1.0.0")
			.capabilities(McpSchema.ServerCapabilities.builder()
				.tools(false)
				.resources(true, false)
				.prompts(false)
				.logging()
				.completions()
				.build())
			.tools(tools())
			.resources(resources())
			.resourceTemplates(template())
			.prompts(prompts())
			// Short, so that a call whose request to the client is never relayed ends
			// soon.
			.requestTimeout(java.time.Duration.ofSeconds(5))
			.completions(new SyncCompletionSpecification(new PromptReference("test_prompt_with_arguments"),
					(exchange, request) -> new CompleteResult(new CompleteCompletion(List.of(), 0, false))))
			.build();
		Path baseDir = null;
		Tomcat tomcat = null;
		// Embedded Tomcat sets these JVM-wide; the gateway's Tomcat must not inherit
		// them.
		String catalinaBase = System.getProperty(CATALINA_BASE);
		String catalinaHome = System.getProperty(CATALINA_HOME);
		try {
			baseDir = Files.createTempDirectory("atrium-conformance-fixture");
			tomcat = tomcat(baseDir, transport);
			tomcat.start();
			Connector connector = tomcat.getConnector();
			if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() <= 0) {
				throw new IllegalStateException("Tomcat could not listen on 127.0.0.1");
			}
			return new ConformanceUpstream(tomcat, baseDir, server, connector.getLocalPort());
		}
		catch (IOException | LifecycleException | RuntimeException ex) {
			stop(tomcat, server, baseDir);
			throw new IllegalStateException("Could not start the conformance fixture", ex);
		}
		finally {
			restoreProperty(CATALINA_BASE, catalinaBase);
			restoreProperty(CATALINA_HOME, catalinaHome);
		}
	}

	/**
	 * The endpoint URL, {@code http://127.0.0.1:PORT/mcp}.
	 * @return the MCP endpoint URL
	 */
	public String mcpUrl() {
		return "http://127.0.0.1:" + this.port + MCP_PATH;
	}

	@Override
	public void close() {
		if (this.stopped.compareAndSet(false, true)) {
			try {
				this.server.closeGracefully();
			}
			finally {
				stop(this.tomcat, this.server, this.baseDir);
			}
		}
	}

	@Override
	public String toString() {
		return "ConformanceUpstream[" + mcpUrl() + "]";
	}

	private static Tomcat tomcat(Path baseDir, HttpServletStreamableServerTransportProvider transport)
			throws IOException {
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(baseDir.toString());
		tomcat.getEngine().setName("atrium-conformance-fixture-" + instances.incrementAndGet());
		Connector connector = new Connector(Http11NioProtocol.class.getName());
		connector.setPort(0);
		// Loopback only: this server must never be reachable from another host.
		((Http11NioProtocol) connector.getProtocolHandler())
			.setAddress(InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 }));
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", baseDir.toString());
		if (context instanceof StandardContext standardContext) {
			standardContext.setClearReferencesRmiTargets(false);
			standardContext.setClearReferencesThreadLocals(false);
		}
		Tomcat.addServlet(context, "mcp", transport).setAsyncSupported(true);
		context.addServletMappingDecoded(MCP_PATH, "mcp");
		return tomcat;
	}

	private static void restoreProperty(String name, String value) {
		if (value != null) {
			System.setProperty(name, value);
		}
		else {
			System.clearProperty(name);
		}
	}

	private static void stop(Tomcat tomcat, McpSyncServer server, Path baseDir) {
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
			try (Stream<Path> paths = Files.walk(baseDir)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
			catch (IOException ex) {
				// A leftover temporary directory is harmless.
			}
		}
	}

	private static List<SyncToolSpecification> tools() {
		return List.of(
				tool("test_simple_text", "Tests simple text content response", NO_ARGUMENTS,
						(exchange, request) -> result(text("This is a simple text response for testing."))),
				tool("test_image_content", "Tests image content response", NO_ARGUMENTS,
						(exchange, request) -> result(ImageContent.builder(PNG, "image/png").build())),
				tool("test_audio_content", "Tests audio content response", NO_ARGUMENTS,
						(exchange, request) -> result(AudioContent.builder(WAV, "audio/wav").build())),
				tool("test_embedded_resource", "Tests embedded resource content response", NO_ARGUMENTS,
						(exchange,
								request) -> result(EmbeddedResource
									.builder(textContents("test://embedded-resource", "text/plain",
											"This is an embedded resource content."))
									.build())),
				tool("test_multiple_content_types",
						"Tests response with multiple content types (text, image, resource)", NO_ARGUMENTS,
						(exchange, request) -> result(text("Multiple content types test:"),
								ImageContent.builder(PNG, "image/png").build(),
								EmbeddedResource
									.builder(textContents("test://mixed-content-resource", "application/json",
											"{\"test\":\"data\",\"value\":123}"))
									.build())),
				tool("test_tool_with_logging", "Tests tool that emits log messages during execution", NO_ARGUMENTS,
						ConformanceUpstream::withLogging),
				tool("test_tool_with_progress", "Tests tool that reports progress notifications", NO_ARGUMENTS,
						ConformanceUpstream::withProgress),
				tool("test_error_handling", "Tests error response handling", NO_ARGUMENTS,
						(exchange, request) -> CallToolResult.builder()
							.isError(true)
							.addTextContent("This tool intentionally returns an error for testing")
							.build()),
				tool("test_reconnection",
						"Tests SSE stream disconnection and client reconnection (SEP-1699); "
								+ "this server cannot close a stream mid-call, so it just answers",
						NO_ARGUMENTS, (exchange, request) -> result(text("Reconnection test completed successfully."))),
				tool("test_sampling", "Tests server-initiated sampling (LLM completion request)",
						stringArgument("prompt", "The prompt to send to the LLM"), ConformanceUpstream::sampling),
				tool("test_elicitation", "Tests server-initiated elicitation (user input request)",
						stringArgument("message", "The message to show the user"),
						(exchange, request) -> elicit(exchange, "User response: ",
								(String) request.arguments().get("message"),
								objectSchema(
										Map.of("response", Map.of("type", "string", "description", "User's response")),
										List.of("response")))),
				tool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034",
						NO_ARGUMENTS,
						(exchange, request) -> elicit(exchange, "Elicitation completed: ",
								"Please review and update the form fields with defaults", sep1034Schema())),
				tool("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330",
						NO_ARGUMENTS,
						(exchange, request) -> elicit(exchange, "Elicitation completed: ",
								"Please select options from the enum fields", sep1330Schema())),
				tool("json_schema_2020_12_tool",
						"Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)", jsonSchema2020(),
						(exchange, request) -> result(
								text("JSON Schema 2020-12 tool called with: " + request.arguments()))));
	}

	private static SyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema,
			BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		Tool tool = Tool.builder(name, inputSchema).description(description).build();
		return SyncToolSpecification.builder().tool(tool).callHandler(handler).build();
	}

	private static CallToolResult withLogging(McpSyncServerExchange exchange, CallToolRequest request) {
		for (String message : List.of("Tool execution started", "Tool processing data", "Tool execution completed")) {
			exchange.loggingNotification(LoggingMessageNotification.builder(LoggingLevel.INFO, message)
				.logger("conformance-test-server")
				.build());
		}
		return result(text("Tool with logging executed successfully"));
	}

	private static CallToolResult withProgress(McpSyncServerExchange exchange, CallToolRequest request) {
		Object token = (request.meta() != null) ? request.meta().get("progressToken") : null;
		if (token != null) {
			for (int progress : List.of(0, 50, 100)) {
				exchange.progressNotification(ProgressNotification.builder(token, progress)
					.total(100.0)
					.message("Completed step " + progress + " of 100")
					.build());
			}
		}
		return result(text(String.valueOf(token)));
	}

	private static CallToolResult sampling(McpSyncServerExchange exchange, CallToolRequest request) {
		String prompt = (String) request.arguments().get("prompt");
		CreateMessageRequest sampling = CreateMessageRequest
			.builder(List.of(new SamplingMessage(Role.USER, text(prompt))), 100)
			.build();
		CreateMessageResult answer = exchange.createMessage(sampling);
		String response = (answer.content() instanceof TextContent textContent) ? textContent.text() : "No response";
		return result(text("LLM response: " + response));
	}

	private static CallToolResult elicit(McpSyncServerExchange exchange, String prefix, String message,
			Map<String, Object> schema) {
		ElicitResult answer = exchange.createElicitation(ElicitRequest.builder(message, schema).build());
		String action = answer.action().name().toLowerCase(java.util.Locale.ROOT);
		return result(text(prefix + "action=" + action + ", content=" + answer.content()));
	}

	private static Map<String, Object> stringArgument(String name, String description) {
		return objectSchema(Map.of(name, Map.of("type", "string", "description", description)), List.of(name));
	}

	private static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
		return Map.of("type", "object", "properties", properties, "required", required);
	}

	private static Map<String, Object> sep1034Schema() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("name", Map.of("type", "string", "description", "User name", "default", "John Doe"));
		properties.put("age", Map.of("type", "integer", "description", "User age", "default", 30));
		properties.put("score", Map.of("type", "number", "description", "User score", "default", 95.5));
		properties.put("status", Map.of("type", "string", "description", "User status", "enum",
				List.of("active", "inactive", "pending"), "default", "active"));
		properties.put("verified", Map.of("type", "boolean", "description", "Verification status", "default", true));
		return objectSchema(properties, List.of());
	}

	private static Map<String, Object> sep1330Schema() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("untitledSingle", Map.of("type", "string", "description", "Select one option", "enum",
				List.of("option1", "option2", "option3")));
		properties.put("titledSingle", Map.of("type", "string", "description", "Select one option with titles", "oneOf",
				titled("const", "First Option", "Second Option", "Third Option")));
		properties.put("legacyEnum", Map.of("type", "string", "description", "Select one option (legacy)", "enum",
				List.of("opt1", "opt2", "opt3"), "enumNames", List.of("Option One", "Option Two", "Option Three")));
		properties.put("untitledMulti", Map.of("type", "array", "description", "Select multiple options", "minItems", 1,
				"maxItems", 3, "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))));
		properties.put("titledMulti",
				Map.of("type", "array", "description", "Select multiple options with titles", "minItems", 1, "maxItems",
						3, "items", Map.of("anyOf", titled("const", "First Choice", "Second Choice", "Third Choice"))));
		return objectSchema(properties, List.of());
	}

	// value1, value2, value3 with the given titles
	private static List<Map<String, Object>> titled(String key, String... titles) {
		return java.util.stream.IntStream.range(0, titles.length)
			.mapToObj((i) -> Map.<String, Object>of(key, "value" + (i + 1), "title", titles[i]))
			.toList();
	}

	private static Map<String, Object> jsonSchema2020() {
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("$schema", McpSchema.JSON_SCHEMA_DIALECT_2020_12);
		schema.put("type", "object");
		schema.put("$defs", Map.of("address", Map.of("type", "object", "properties",
				Map.of("street", Map.of("type", "string"), "city", Map.of("type", "string")))));
		schema.put("properties",
				Map.of("name", Map.of("type", "string"), "address", Map.of("$ref", "#/$defs/address")));
		schema.put("additionalProperties", false);
		return schema;
	}

	private static List<SyncResourceSpecification> resources() {
		return List.of(
				resource("test://static-text", "static-text", "A static text resource for testing", "text/plain",
						textContents("test://static-text", "text/plain",
								"This is the content of the static text resource.")),
				resource("test://static-binary", "static-binary", "A static binary resource (image) for testing",
						"image/png",
						BlobResourceContents.builder("test://static-binary", PNG).mimeType("image/png").build()),
				resource("test://watched-resource", "watched-resource", "A resource clients may subscribe to",
						"text/plain",
						textContents("test://watched-resource", "text/plain", "Watched resource content")));
	}

	private static SyncResourceSpecification resource(String uri, String name, String description, String mimeType,
			ResourceContents contents) {
		Resource resource = Resource.builder(uri, name).description(description).mimeType(mimeType).build();
		return new SyncResourceSpecification(resource,
				(exchange, request) -> ReadResourceResult.builder(List.of(contents)).build());
	}

	private static SyncResourceTemplateSpecification template() {
		ResourceTemplate template = ResourceTemplate.builder("test://template/{id}/data", "template")
			.description("A resource template with parameter substitution")
			.mimeType("application/json")
			.build();
		return new SyncResourceTemplateSpecification(template, (exchange, request) -> {
			String id = request.uri().substring("test://template/".length(), request.uri().length() - "/data".length());
			String json = "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}";
			return ReadResourceResult.builder(List.of(textContents(request.uri(), "application/json", json))).build();
		});
	}

	private static List<SyncPromptSpecification> prompts() {
		return List.of(
				prompt("test_simple_prompt", "A simple prompt without arguments", List.of(),
						(arguments) -> List.of(message(text("This is a simple prompt for testing.")))),
				prompt("test_prompt_with_arguments", "A prompt with required arguments",
						List.of(argument("arg1", "First test argument"), argument("arg2", "Second test argument")), (
								arguments) -> List.of(
										message(text("Prompt with arguments: arg1='" + arguments.get("arg1")
												+ "', arg2='" + arguments.get("arg2") + "'")))),
				prompt("test_prompt_with_embedded_resource", "A prompt that includes an embedded resource",
						List.of(argument("resourceUri", "URI of the resource to embed")),
						(arguments) -> List.of(message(EmbeddedResource
							.builder(textContents(String.valueOf(arguments.get("resourceUri")), "text/plain",
									"Embedded resource content for testing."))
							.build()), message(text("Please process the embedded resource above.")))),
				prompt("test_prompt_with_image", "A prompt that includes image content", List.of(),
						(arguments) -> List.of(message(ImageContent.builder(PNG, "image/png").build()),
								message(text("Please analyze the image above.")))));
	}

	private static SyncPromptSpecification prompt(String name, String description, List<PromptArgument> arguments,
			java.util.function.Function<Map<String, Object>, List<PromptMessage>> messages) {
		Prompt prompt = Prompt.builder(name).description(description).arguments(arguments).build();
		return new SyncPromptSpecification(prompt,
				(exchange, request) -> GetPromptResult
					.builder(messages.apply((request.arguments() != null) ? request.arguments() : Map.of()))
					.build());
	}

	private static PromptArgument argument(String name, String description) {
		return PromptArgument.builder(name).description(description).required(true).build();
	}

	private static PromptMessage message(Content content) {
		return PromptMessage.builder(Role.USER, content).build();
	}

	private static TextContent text(String text) {
		return TextContent.builder(text).build();
	}

	private static TextResourceContents textContents(String uri, String mimeType, String text) {
		return TextResourceContents.builder(uri, text).mimeType(mimeType).build();
	}

	private static CallToolResult result(Content... content) {
		return CallToolResult.builder().content(List.of(content)).build();
	}

}
