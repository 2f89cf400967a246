package dev.atrium.gateway.demo;

import dev.atrium.gateway.inprocess.WebFluxStatelessServerTransport;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncPromptSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncResourceSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import reactor.core.publisher.Mono;

/**
 * The built-in demo target, written with the MCP Java SDK: tools {@code echo},
 * {@code add} and {@code current_time}, the resource {@code demo://readme}, and the
 * prompt {@code greeting}. It is stateless, like an AgentCore Runtime target.
 */
public final class DemoMcpServer {

	static final String README = """
			Atrium demo target.
			Atrium federates MCP servers ("targets") into one MCP server per scenario:
			/internal/mcp, /consumer/mcp, /enterprise/mcp and /third-party/mcp.
			This text is served by the demo target, through Atrium.
			""";

	private final McpStatelessAsyncServer server;

	public DemoMcpServer(WebFluxStatelessServerTransport transport, McpJsonMapper jsonMapper) {
		this.server = McpServer.async(transport)
			.jsonMapper(jsonMapper)
			.serverInfo("atrium-demo", "1.0.0")
			.instructions("Demo tools served by Atrium itself: echo, add and current_time.")
			.capabilities(
					McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build())
			.tools(echo(jsonMapper), add(jsonMapper), currentTime(jsonMapper))
			.resources(readme())
			.prompts(greeting())
			.build();
	}

	public McpStatelessAsyncServer server() {
		return this.server;
	}

	public void close() {
		this.server.close();
	}

	private static AsyncToolSpecification echo(McpJsonMapper json) {
		McpSchema.Tool tool = McpSchema.Tool.builder()
			.name("echo")
			.title("Echo")
			.description("Returns the message it is given.")
			.inputSchema(json, """
					{"type":"object","properties":{"message":{"type":"string","description":"What to echo"}},
					 "required":["message"]}""")
			.annotations(new McpSchema.ToolAnnotations("Echo", true, false, true, false, null))
			.build();
		return new AsyncToolSpecification(tool,
				(context, request) -> Mono.just(text(String.valueOf(request.arguments().get("message")))));
	}

	private static AsyncToolSpecification add(McpJsonMapper json) {
		McpSchema.Tool tool = McpSchema.Tool.builder()
			.name("add")
			.title("Add")
			.description("Adds two numbers.")
			.inputSchema(json,
					"""
							{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}""")
			.annotations(new McpSchema.ToolAnnotations("Add", true, false, true, false, null))
			.build();
		return new AsyncToolSpecification(tool, (context, request) -> {
			Object a = request.arguments().get("a");
			Object b = request.arguments().get("b");
			if (!(a instanceof Number first) || !(b instanceof Number second)) {
				return Mono
					.just(CallToolResult.builder().addTextContent("a and b must be numbers").isError(true).build());
			}
			double sum = first.doubleValue() + second.doubleValue();
			String text = (sum == Math.rint(sum) && Math.abs(sum) < 1e15) ? String.valueOf((long) sum)
					: String.valueOf(sum);
			return Mono.just(text(text));
		});
	}

	private static AsyncToolSpecification currentTime(McpJsonMapper json) {
		McpSchema.Tool tool = McpSchema.Tool.builder()
			.name("current_time")
			.title("Current time")
			.description("The current date and time, in ISO 8601, in a time zone (default UTC).")
			.inputSchema(json,
					"""
							{"type":"object","properties":{"timezone":{"type":"string","description":"IANA zone, e.g. Europe/Lisbon"}}}""")
			.annotations(new McpSchema.ToolAnnotations("Current time", true, false, false, false, null))
			.build();
		return new AsyncToolSpecification(tool, (context, request) -> {
			Object zone = (request.arguments() != null) ? request.arguments().get("timezone") : null;
			try {
				ZoneId zoneId = (zone != null) ? ZoneId.of(zone.toString()) : ZoneId.of("UTC");
				return Mono.just(text(ZonedDateTime.now(zoneId).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
			}
			catch (RuntimeException ex) {
				return Mono
					.just(CallToolResult.builder().addTextContent("Unknown time zone: " + zone).isError(true).build());
			}
		});
	}

	private static AsyncResourceSpecification readme() {
		McpSchema.Resource resource = McpSchema.Resource.builder()
			.uri("demo://readme")
			.name("readme")
			.title("About the demo target")
			.mimeType("text/plain")
			.build();
		return new AsyncResourceSpecification(resource,
				(context, request) -> Mono.just(new McpSchema.ReadResourceResult(
						List.of(new McpSchema.TextResourceContents(request.uri(), "text/plain", README)))));
	}

	private static AsyncPromptSpecification greeting() {
		McpSchema.Prompt prompt = new McpSchema.Prompt("greeting", "Greeting", "Asks the model to greet someone.",
				List.of(new McpSchema.PromptArgument("name", "Who to greet", true)));
		return new AsyncPromptSpecification(prompt, (context, request) -> {
			Map<String, Object> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
			String name = String.valueOf(arguments.getOrDefault("name", "world"));
			return Mono.just(
					new McpSchema.GetPromptResult("A greeting", List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
							new McpSchema.TextContent("Please greet " + name + " warmly.")))));
		});
	}

	private static CallToolResult text(String text) {
		return CallToolResult.builder().addTextContent(text).isError(false).build();
	}

}
