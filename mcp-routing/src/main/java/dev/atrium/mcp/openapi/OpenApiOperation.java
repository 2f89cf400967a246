package dev.atrium.mcp.openapi;

import java.util.List;

/**
 * How one tool becomes an HTTP request.
 *
 * @param method the HTTP method, upper case
 * @param path the path template, e.g. {@code /pets/{petId}}, relative to the base URL
 * @param parameters its path, query and header parameters
 * @param body whether it takes a JSON body, from the argument {@code body}
 * @param bodyRequired whether that body is required
 */
public record OpenApiOperation(String method, String path, List<OpenApiParameter> parameters, boolean body,
		boolean bodyRequired) {

	/** The argument that carries the JSON request body. */
	public static final String BODY = "body";

	public OpenApiOperation {
		parameters = List.copyOf(parameters);
	}

}
