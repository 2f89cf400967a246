package dev.atrium.mcp.openapi;

/**
 * An OpenAPI document that cannot become tools: unreadable, invalid, or without
 * operations.
 */
public class OpenApiException extends RuntimeException {

	public OpenApiException(String message) {
		super(message);
	}

}
