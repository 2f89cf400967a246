package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A secret in AWS Secrets Manager, or one key of a secret that holds a JSON object. It is
 * fetched again every {@code refresh}, so a rotation is picked up within that time; if
 * Secrets Manager cannot be reached then, the value fetched last stays in use.
 */
public final class AwsSecretsManagerSecret implements SecretSource {

	private static final Logger logger = LoggerFactory.getLogger(AwsSecretsManagerSecret.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final SecretsManagerClient client;

	private final String secretId;

	private final String jsonKey;

	private final SingleFlightCache<String> cache;

	/**
	 * @param client the Secrets Manager client; its calls block, so they run on a thread
	 * that may
	 * @param secretId the secret's name or ARN
	 * @param jsonKey the key whose value is the secret, when the secret is a JSON object;
	 * null for the whole secret string
	 * @param refresh how long a value fetched is used
	 * @param clock the clock {@code refresh} is measured on
	 */
	public AwsSecretsManagerSecret(SecretsManagerClient client, String secretId, String jsonKey, Duration refresh,
			Clock clock) {
		this.client = Objects.requireNonNull(client, "client");
		this.secretId = Objects.requireNonNull(secretId, "secretId");
		this.jsonKey = jsonKey;
		Objects.requireNonNull(refresh, "refresh");
		this.cache = new SingleFlightCache<>(this::fetch, (value) -> clock.instant().plus(refresh), clock);
	}

	/**
	 * A Secrets Manager client over the JDK's HTTP connection.
	 * @param region the region; null for the SDK's region provider chain
	 * @param endpoint another endpoint than AWS's (tests, VPC endpoints); may be null
	 * @param credentials the credentials it calls with
	 */
	public static SecretsManagerClient client(String region, URI endpoint, AwsCredentialsProvider credentials) {
		SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.credentialsProvider(credentials);
		if (region != null) {
			builder.region(Region.of(region));
		}
		if (endpoint != null) {
			builder.endpointOverride(endpoint);
		}
		return builder.build();
	}

	@Override
	public Mono<String> value() {
		return this.cache.get().onErrorResume(this::lastKnown);
	}

	@Override
	public Mono<String> reread() {
		return this.cache.refresh();
	}

	@Override
	public String description() {
		return "AWS secret " + this.secretId + ((this.jsonKey != null) ? " (key " + this.jsonKey + ")" : "");
	}

	private Mono<String> lastKnown(Throwable ex) {
		String last = this.cache.last();
		if (last == null) {
			return Mono.error(ex);
		}
		logger.warn("Could not refresh {}; using the value fetched before: {}", description(), ex.getMessage());
		return Mono.just(last);
	}

	private Mono<String> fetch() {
		return Mono.fromCallable(() -> this.client.getSecretValue((request) -> request.secretId(this.secretId)))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(SdkException.class,
					(ex) -> new OutboundCredentialsException("Cannot read " + description() + ": " + ex.getMessage(),
							ex))
			.map(this::select);
	}

	private String select(GetSecretValueResponse response) {
		String text = response.secretString();
		if (text == null) {
			throw new OutboundCredentialsException(description() + " has no string value");
		}
		if (this.jsonKey == null) {
			return text;
		}
		try {
			JsonNode value = JSON.readTree(text).get(this.jsonKey);
			if (value == null || !value.isString()) {
				throw new OutboundCredentialsException(description() + " has no string at that key");
			}
			return value.asString();
		}
		catch (JacksonException ex) {
			throw new OutboundCredentialsException(description() + " is not a JSON object");
		}
	}

	@Override
	public String toString() {
		return "AwsSecretsManagerSecret[" + description() + "]";
	}

}
