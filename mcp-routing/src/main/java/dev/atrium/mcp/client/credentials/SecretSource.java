package dev.atrium.mcp.client.credentials;

import reactor.core.publisher.Mono;

/**
 * Where a secret is read from. Sources that can change (files, AWS Secrets Manager) are
 * read again as they change, so that a rotated secret is used without a restart.
 */
public sealed interface SecretSource permits LiteralSecret, EnvironmentSecret, FileSecret, AwsSecretsManagerSecret {

	/** The current value, as cached by the source; never on a blocking thread's cost. */
	Mono<String> value();

	/**
	 * The value read again now, skipping any cache: for when a peer refused the one used.
	 */
	default Mono<String> reread() {
		return value();
	}

	/** Where the secret comes from, for messages; never the value. */
	String description();

}
