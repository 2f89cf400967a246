package dev.atrium.mcp.client.credentials;

import java.util.Objects;
import java.util.function.UnaryOperator;

import reactor.core.publisher.Mono;

/**
 * A secret in an environment variable. A process's environment does not change, so a
 * rotation needs a restart: use a file or AWS Secrets Manager for secrets that rotate.
 *
 * @param name the variable's name
 * @param environment looks a name up (e.g. {@code System::getenv})
 */
public record EnvironmentSecret(String name, UnaryOperator<String> environment) implements SecretSource {

	public EnvironmentSecret {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(environment, "environment");
	}

	@Override
	public Mono<String> value() {
		return Mono.fromSupplier(() -> this.environment.apply(this.name))
			.switchIfEmpty(Mono.error(() -> new OutboundCredentialsException(description() + " is not set")));
	}

	@Override
	public String description() {
		return "environment variable " + this.name;
	}

}
