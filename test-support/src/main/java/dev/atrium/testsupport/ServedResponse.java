package dev.atrium.testsupport;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link LocalJwksServer} path answers.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body the body, written as UTF-8
 * @param headers further response headers
 */
public record ServedResponse(int status, String contentType, String body, Map<String, String> headers) {

	public ServedResponse {
		Objects.requireNonNull(contentType, "contentType");
		Objects.requireNonNull(body, "body");
		headers = Map.copyOf(headers);
	}

	/**
	 * A 200 answer with a JSON body.
	 * @param json the JSON text
	 * @return the response
	 */
	public static ServedResponse json(String json) {
		return new ServedResponse(200, "application/json", json, Map.of());
	}

}
