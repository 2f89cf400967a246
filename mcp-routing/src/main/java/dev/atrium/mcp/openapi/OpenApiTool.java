package dev.atrium.mcp.openapi;

import tools.jackson.databind.node.ObjectNode;

/**
 * A tool made from one operation.
 *
 * @param name the tool's name
 * @param definition the tool as MCP lists it: name, description, inputSchema, optional
 * outputSchema, annotations
 * @param operation the request it sends
 */
public record OpenApiTool(String name, ObjectNode definition, OpenApiOperation operation) {

}
