package dev.atrium.gateway.inprocess;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * An MCP server Atrium serves itself, written with the MCP Java SDK, for a target that is
 * not an MCP server (a REST API, a Lambda function): its tools, each calling what is
 * behind the target. It is stateless and served on its own transport, and federated like
 * any target.
 */
public final class InProcessToolServer {

	/**
	 * Arguments and answers are not checked against the tools' schemas: what is behind
	 * the target, not its description, decides what it accepts and answers.
	 */
	private static final JsonSchemaValidator ACCEPT_ALL = (schema, content) -> JsonSchemaValidator.ValidationResponse
		.asValid(null);

	private final WebFluxStatelessServerTransport transport;

	private final McpStatelessAsyncServer server;

	/**
	 * @param name the server's name, in its {@code initialize} answer
	 * @param tools its tools
	 */
	public InProcessToolServer(String name, List<Tool> tools, McpJsonMapper json) {
		this.transport = new WebFluxStatelessServerTransport(json);
		this.server = McpServer.async(this.transport)
			.jsonMapper(json)
			.jsonSchemaValidator(ACCEPT_ALL)
			.serverInfo(name, "1.0.0")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
			.tools(tools.stream().map((tool) -> specification(tool, json)).toList())
			.build();
	}

	public WebFluxStatelessServerTransport transport() {
		return this.transport;
	}

	public void close() {
		this.server.close();
	}

	private static AsyncToolSpecification specification(Tool tool, McpJsonMapper json) {
		McpSchema.Tool definition = json.convertValue(tool.definition(), McpSchema.Tool.class);
		return new AsyncToolSpecification(definition,
				(context, request) -> tool.call()
					.apply(request.arguments())
					.map((result) -> json.convertValue(result, McpSchema.CallToolResult.class)));
	}

	/**
	 * One tool.
	 *
	 * @param definition the tool as MCP lists it
	 * @param call makes the call with the tool's arguments and answers its result
	 */
	public record Tool(ObjectNode definition, Function<Map<String, Object>, Mono<ObjectNode>> call) {
	}

}
