package dev.atrium.policy.auth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@code WWW-Authenticate: Bearer} challenges of RFC 6750 section 3, with the
 * {@code resource_metadata} parameter of RFC 9728 section 5.1 that MCP clients follow to
 * find the authorization server, and an OAuth error body.
 */
public final class BearerChallenges {

	private BearerChallenges() {
	}

	/**
	 * A challenge's header value.
	 * @param error the OAuth error code, or {@code null} when no token was sent (RFC 6750
	 * section 3.1)
	 */
	public static String header(String resourceMetadata, List<String> scopes, String error, String description) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (error != null) {
			parameters.put("error", error);
		}
		if (description != null) {
			parameters.put("error_description", description);
		}
		if (!scopes.isEmpty()) {
			parameters.put("scope", String.join(" ", scopes));
		}
		parameters.put("resource_metadata", resourceMetadata);
		StringBuilder value = new StringBuilder("Bearer");
		parameters.forEach((name, text) -> value.append(value.length() == 6 ? " " : ", ")
			.append(name)
			.append("=\"")
			.append(quoted(text))
			.append('"'));
		return value.toString();
	}

	public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String challenge, String error,
			String description) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setCacheControl("no-store");
		String body = "{\"error\":\"" + json(error) + "\",\"error_description\":\"" + json(description) + "\"}";
		DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(buffer));
	}

	/** RFC 6750 allows only printable ASCII without quote and backslash in parameters. */
	private static String quoted(String text) {
		StringBuilder clean = new StringBuilder();
		text.chars().filter((c) -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\').forEach(clean::appendCodePoint);
		return clean.toString();
	}

	private static String json(String text) {
		return quoted(text);
	}

}
