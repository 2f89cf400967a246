package dev.atrium.mcp.client.credentials;

import java.util.Objects;

import reactor.core.publisher.Mono;

/**
 * A secret written into the configuration itself: for local development only.
 *
 * @param secret the value
 */
public record LiteralSecret(String secret) implements SecretSource {

	public LiteralSecret {
		Objects.requireNonNull(secret, "secret");
	}

	@Override
	public Mono<String> value() {
		return Mono.just(this.secret);
	}

	@Override
	public String description() {
		return "a literal value";
	}

	@Override
	public String toString() {
		return "LiteralSecret[<hidden>]";
	}

}
