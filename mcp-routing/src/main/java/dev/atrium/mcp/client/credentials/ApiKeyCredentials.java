package dev.atrium.mcp.client.credentials;

import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Mono;

/**
 * A static API key in one header, e.g. {@code X-Api-Key}, or {@code Authorization} with
 * the prefix {@code "Bearer "}.
 *
 * @param header the header's name
 * @param prefix what precedes the key in the header's value; empty for nothing
 * @param key the key
 */
public record ApiKeyCredentials(String header, String prefix, SecretSource key) implements OutboundCredentials {

	public ApiKeyCredentials {
		Objects.requireNonNull(header, "header");
		if (header.isBlank()) {
			throw new IllegalArgumentException("header must not be blank");
		}
		prefix = (prefix != null) ? prefix : "";
		Objects.requireNonNull(key, "key");
	}

	@Override
	public Mono<Map<String, String>> headers(OutgoingRequest request) {
		return this.key.value().map((value) -> Map.of(this.header, this.prefix + value));
	}

}
