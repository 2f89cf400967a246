package dev.atrium.gateway.credentials;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.credentials.ApiKeyCredentials;
import dev.atrium.mcp.client.credentials.AwsSecretsManagerSecret;
import dev.atrium.mcp.client.credentials.ClientRegistration;
import dev.atrium.mcp.client.credentials.EnvironmentSecret;
import dev.atrium.mcp.client.credentials.FileSecret;
import dev.atrium.mcp.client.credentials.LiteralSecret;
import dev.atrium.mcp.client.credentials.OAuth2ClientCredentials;
import dev.atrium.mcp.client.credentials.OutboundCredentials;
import dev.atrium.mcp.client.credentials.SecretSource;
import dev.atrium.mcp.client.credentials.SigV4Credentials;
import reactor.netty.http.client.HttpClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds each target's outbound credentials from {@code atrium.targets.*.credentials}.
 * The properties were validated before; what only shows now (an environment variable that
 * is not set) fails with the property's name.
 */
final class TargetCredentialsFactory {

	private static final Duration FILE_RECHECK = Duration.ofSeconds(10);

	private static final Duration AWS_SECRET_REFRESH = Duration.ofMinutes(5);

	private final HttpClient httpClient;

	private final Clock clock;

	private final UnaryOperator<String> environment;

	private final Map<String, SecretsManagerClient> secretsManagers = new LinkedHashMap<>();

	private DefaultCredentialsProvider defaultProvider;

	TargetCredentialsFactory(HttpClient httpClient, Clock clock, UnaryOperator<String> environment) {
		this.httpClient = httpClient;
		this.clock = clock;
		this.environment = environment;
	}

	TargetCredentials build(Map<String, AtriumProperties.Target> targets) {
		Map<String, OutboundCredentials> byTarget = new LinkedHashMap<>();
		Map<String, AwsCredentialsProvider> awsByTarget = new LinkedHashMap<>();
		targets.forEach((name, target) -> {
			String prefix = "atrium.targets." + name + ".credentials.";
			if (target.lambda() != null) {
				// The SDK signs the Invoke itself; Atrium's hop to its own server needs
				// none.
				awsByTarget.put(name, lambdaCredentials(prefix, target.credentials()));
				byTarget.put(name, OutboundCredentials.NONE);
			}
			else if (target.regions().isEmpty()) {
				byTarget.put(name, credentials(prefix, target.credentials(), region(target)));
			}
			// Each region of a regional target signs for its own region.
			target.regions()
				.forEach((region, endpoint) -> byTarget.put(TargetCall.endpoint(name, region),
						credentials(prefix, target.credentials(),
								(endpoint.agentcore() != null) ? endpoint.agentcore().runtime().region() : region)));
		});
		List<AutoCloseable> resources = new ArrayList<>(this.secretsManagers.values());
		if (this.defaultProvider != null) {
			resources.add(this.defaultProvider);
		}
		return new TargetCredentials(byTarget, awsByTarget, resources);
	}

	/** Static keys under sigv4 when given; otherwise the SDK's default chain. */
	private AwsCredentialsProvider lambdaCredentials(String prefix, AtriumProperties.Credentials properties) {
		if (properties == null || properties.type() != AtriumProperties.CredentialsType.SIGV4) {
			return defaultProvider();
		}
		return awsCredentials(prefix, properties);
	}

	/** The region a target signs for when its credentials name none: its runtime's. */
	private static String region(AtriumProperties.Target target) {
		return (target.agentcore() != null) ? target.agentcore().runtime().region() : null;
	}

	private OutboundCredentials credentials(String prefix, AtriumProperties.Credentials properties,
			String defaultRegion) {
		if (properties == null) {
			return OutboundCredentials.NONE;
		}
		return switch (properties.type()) {
			case NONE -> OutboundCredentials.NONE;
			case API_KEY -> new ApiKeyCredentials(properties.header(), properties.prefix(),
					secret(prefix + "key", properties.key()));
			case OAUTH2 -> new OAuth2ClientCredentials(
					new ClientRegistration(properties.tokenEndpoint(), properties.clientId(),
							secret(prefix + "client-secret", properties.clientSecret()),
							properties.clientAuthentication(), properties.scopes(), properties.resource()),
					this.httpClient, properties.refreshSkew(), properties.timeout(), this.clock);
			case SIGV4 -> new SigV4Credentials((properties.region() != null) ? properties.region() : defaultRegion,
					properties.service(), awsCredentials(prefix, properties), this.clock);
		};
	}

	private AwsCredentialsProvider awsCredentials(String prefix, AtriumProperties.Credentials properties) {
		if (properties.accessKeyId() == null) {
			return defaultProvider();
		}
		SecretSource id = secret(prefix + "access-key-id", properties.accessKeyId());
		SecretSource key = secret(prefix + "secret-access-key", properties.secretAccessKey());
		SecretSource token = (properties.sessionToken() != null)
				? secret(prefix + "session-token", properties.sessionToken()) : null;
		// Called off the event loop by SigV4Credentials and by the Lambda client, so it
		// may wait for the secrets.
		return () -> (token != null)
				? AwsSessionCredentials.create(id.value().block(), key.value().block(), token.value().block())
				: AwsBasicCredentials.create(id.value().block(), key.value().block());
	}

	private SecretSource secret(String key, AtriumProperties.Secret secret) {
		if (secret.value() != null) {
			return new LiteralSecret(secret.value());
		}
		if (secret.env() != null) {
			if (this.environment.apply(secret.env()) == null) {
				throw new IllegalStateException(
						key + ".env names environment variable " + secret.env() + ", which is not set");
			}
			return new EnvironmentSecret(secret.env(), this.environment);
		}
		if (secret.file() != null) {
			return new FileSecret(secret.file(), (secret.refresh() != null) ? secret.refresh() : FILE_RECHECK,
					this.clock);
		}
		SecretsManagerClient client = this.secretsManagers.computeIfAbsent(
				(secret.region() + "|" + secret.endpoint()).toLowerCase(Locale.ROOT),
				(ignored) -> AwsSecretsManagerSecret.client(secret.region(), secret.endpoint(), defaultProvider()));
		return new AwsSecretsManagerSecret(client, secret.awsSecret(), secret.key(),
				(secret.refresh() != null) ? secret.refresh() : AWS_SECRET_REFRESH, this.clock);
	}

	/** One default chain for all: it caches what it resolved, such as web identity. */
	private AwsCredentialsProvider defaultProvider() {
		if (this.defaultProvider == null) {
			this.defaultProvider = DefaultCredentialsProvider.builder().build();
		}
		return this.defaultProvider;
	}

}
