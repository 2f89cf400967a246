package dev.atrium.gateway.lambda;

import java.util.List;

import dev.atrium.gateway.inprocess.WebFluxStatelessServerTransport;
import dev.atrium.mcp.lambda.LambdaInvoker;
import dev.atrium.mcp.lambda.LambdaTool;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The MCP server of one Lambda target, written with the MCP Java SDK: the configured
 * tools, each invoking the function. It is stateless and served on its own transport.
 */
public final class LambdaMcpServer {

	/**
	 * Arguments and answers are not checked against the configured schemas: the function,
	 * as behind AgentCore Gateway, decides what it accepts and returns.
	 */
	private static final JsonSchemaValidator ACCEPT_ALL = (schema, content) -> JsonSchemaValidator.ValidationResponse
		.asValid(null);

	private final WebFluxStatelessServerTransport transport;

	private final McpStatelessAsyncServer server;

	public LambdaMcpServer(String target, List<LambdaTool> tools, LambdaInvoker invoker, McpJsonMapper json) {
		this.transport = new WebFluxStatelessServerTransport(json);
		this.server = McpServer.async(this.transport)
			.jsonMapper(json)
			.jsonSchemaValidator(ACCEPT_ALL)
			.serverInfo("atrium-lambda-" + target, "1.0.0")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
			.tools(tools.stream().map((tool) -> specification(tool, invoker, json)).toList())
			.build();
	}

	public WebFluxStatelessServerTransport transport() {
		return this.transport;
	}

	public void close() {
		this.server.close();
	}

	private static AsyncToolSpecification specification(LambdaTool tool, LambdaInvoker invoker, McpJsonMapper json) {
		McpSchema.Tool definition = json.convertValue(tool.definition(), McpSchema.Tool.class);
		return new AsyncToolSpecification(definition,
				(context, request) -> invoker.call(tool.name(), request.arguments())
					.map((result) -> json.convertValue(result, McpSchema.CallToolResult.class)));
	}

}
