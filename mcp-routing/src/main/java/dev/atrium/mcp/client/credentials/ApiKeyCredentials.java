package dev.atrium.mcp.client.credentials;

import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Mono;

/**
 * A static API key in one header, e.g. {@code X-Api-Key}, or {@code Authorization} with
 * the prefix {@code Bearer}.
 *
 * @param header the header's name
 * @param prefix a word written before the key, with one space between (e.g.
 * {@code Bearer}); empty for none
 * @param key the key
 */
public record ApiKeyCredentials(String header, String prefix, SecretSource key) implements OutboundCredentials {

	public ApiKeyCredentials {
		Objects.requireNonNull(header, "header");
		if (header.isBlank()) {
			throw new IllegalArgumentException("header must not be blank");
		}
		// Trimmed: configuration files drop trailing spaces, so the space is ours to add.
		prefix = (prefix != null) ? prefix.strip() : "";
		Objects.requireNonNull(key, "key");
	}

	@Override
	public Mono<Map<String, String>> headers(OutgoingRequest request) {
		return this.key.value()
			.map((value) -> Map.of(this.header, this.prefix.isEmpty() ? value : this.prefix + " " + value));
	}

}
