package dev.atrium.mcp.openapi;

/**
 * One parameter of an operation, which is also a property of its tool's input.
 *
 * @param name the parameter's name in the request and in the tool's arguments
 * @param in where it goes in the request
 * @param required whether a call without it is refused
 */
public record OpenApiParameter(String name, Location in, boolean required) {

	/** The places of a request a parameter can go; cookies are not supported. */
	public enum Location {

		PATH, QUERY, HEADER

	}

}
