package dev.atrium.mcp.openapi;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * Reads OpenAPI 3.x documents from a file or an http(s) URL, with every {@code $ref}
 * resolved in place. Reading blocks: it is done once, at start-up.
 */
public final class OpenApiDocuments {

	private OpenApiDocuments() {
	}

	/**
	 * The document at a location; throws {@link OpenApiException} when it cannot be read
	 * or is not OpenAPI 3.
	 */
	public static OpenAPI load(String location) {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setResolveFully(true);
		SwaggerParseResult result;
		try {
			result = new OpenAPIV3Parser().readLocation(location, null, options);
		}
		catch (RuntimeException ex) {
			throw new OpenApiException("cannot read OpenAPI document '" + location + "': " + ex.getMessage());
		}
		OpenAPI api = result.getOpenAPI();
		List<String> messages = (result.getMessages() != null) ? result.getMessages() : List.of();
		if (api == null || api.getPaths() == null) {
			throw new OpenApiException("'" + location + "' is not a readable OpenAPI 3 document"
					+ (messages.isEmpty() ? "" : ": " + String.join("; ", messages)));
		}
		return api;
	}

}
