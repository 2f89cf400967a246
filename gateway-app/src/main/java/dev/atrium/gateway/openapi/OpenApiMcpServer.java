package dev.atrium.gateway.openapi;

import java.util.List;

import dev.atrium.gateway.inprocess.WebFluxStatelessServerTransport;
import dev.atrium.mcp.openapi.OpenApiInvoker;
import dev.atrium.mcp.openapi.OpenApiTool;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The MCP server of one OpenAPI target, written with the MCP Java SDK: a tool per
 * operation, each calling the REST API. It is stateless and served on its own transport.
 */
public final class OpenApiMcpServer {

	/**
	 * Answers are not checked against the document's schemas: the API, not its
	 * description, decides what an answer is, and arguments are checked by the API too.
	 */
	private static final JsonSchemaValidator ACCEPT_ALL = (schema, content) -> JsonSchemaValidator.ValidationResponse
		.asValid(null);

	private final WebFluxStatelessServerTransport transport;

	private final McpStatelessAsyncServer server;

	public OpenApiMcpServer(String target, List<OpenApiTool> tools, OpenApiInvoker invoker, McpJsonMapper json) {
		this.transport = new WebFluxStatelessServerTransport(json);
		this.server = McpServer.async(this.transport)
			.jsonMapper(json)
			.jsonSchemaValidator(ACCEPT_ALL)
			.serverInfo("atrium-openapi-" + target, "1.0.0")
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

	private static AsyncToolSpecification specification(OpenApiTool tool, OpenApiInvoker invoker, McpJsonMapper json) {
		McpSchema.Tool definition = json.convertValue(tool.definition(), McpSchema.Tool.class);
		return new AsyncToolSpecification(definition,
				(context, request) -> invoker.call(tool.operation(), request.arguments())
					.map((result) -> json.convertValue(result, McpSchema.CallToolResult.class)));
	}

}
