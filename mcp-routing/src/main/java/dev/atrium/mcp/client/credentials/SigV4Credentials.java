package dev.atrium.mcp.client.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * AWS Signature Version 4, by the AWS SDK's signer: for targets behind IAM, such as
 * Amazon Bedrock AgentCore. The payload hash is taken over the exact body sent, so the
 * signature holds only for that body.
 */
public final class SigV4Credentials implements OutboundCredentials {

	/** The signing name of Amazon Bedrock AgentCore. */
	public static final String DEFAULT_SERVICE = "bedrock-agentcore";

	/**
	 * Credentials without an expiry (static keys) are asked for again this often, so that
	 * a provider that rotates them is followed.
	 */
	private static final Duration UNDATED_CREDENTIALS_REUSE = Duration.ofMinutes(1);

	/** What the signature sets; never taken from the request. */
	private static final Set<String> SIGNATURE_HEADERS = caseInsensitive("Authorization", "X-Amz-Date",
			"X-Amz-Security-Token", "X-Amz-Content-Sha256");

	/** Credentials that expire are replaced this long before. */
	private static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

	private final String region;

	private final String service;

	private final Clock clock;

	private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

	private final SingleFlightCache<AwsCredentials> credentials;

	/**
	 * @param region the AWS region, e.g. {@code us-east-1}
	 * @param service the service's signing name
	 * @param provider where the AWS credentials come from, e.g.
	 * {@code DefaultCredentialsProvider} (environment, web identity, instance profile);
	 * it may block, so it is called on a thread that may
	 * @param clock the signing time
	 */
	public SigV4Credentials(String region, String service, AwsCredentialsProvider provider, Clock clock) {
		this.region = requireText(region, "region");
		this.service = requireText(service, "service");
		Objects.requireNonNull(provider, "provider");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.credentials = new SingleFlightCache<>(() -> resolve(provider), this::reuseUntil, clock);
	}

	@Override
	public Mono<Map<String, String>> headers(OutgoingRequest request) {
		return this.credentials.get().map((identity) -> sign(request, identity));
	}

	@Override
	public boolean signsBody() {
		return true;
	}

	/**
	 * The headers the signature adds; {@code Host} is the HTTP client's to write. Headers
	 * the signature sets itself are left out of what is signed, so that a configured one
	 * of the same name cannot end up signed and then replaced.
	 */
	Map<String, String> sign(OutgoingRequest request, AwsCredentials identity) {
		SdkHttpRequest.Builder http = SdkHttpRequest.builder()
			.method(SdkHttpMethod.fromValue(request.method()))
			.uri(request.uri());
		Set<String> kept = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		request.headers().forEach((name, value) -> {
			if (!SIGNATURE_HEADERS.contains(name)) {
				http.putHeader(name, value);
				kept.add(name);
			}
		});
		kept.add("Host");
		SignedRequest signed = this.signer.sign((sign) -> sign.identity(identity)
			.request(http.build())
			.payload(ContentStreamProvider.fromByteArrayUnsafe(request.body()))
			.putProperty(AwsV4HttpSigner.REGION_NAME, this.region)
			.putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, this.service)
			.putProperty(HttpSigner.SIGNING_CLOCK, this.clock));
		Map<String, String> added = new LinkedHashMap<>();
		signed.request().forEachHeader((name, values) -> {
			if (!kept.contains(name) && !values.isEmpty()) {
				added.put(name, String.join(",", values));
			}
		});
		return added;
	}

	private Mono<AwsCredentials> resolve(AwsCredentialsProvider provider) {
		return Mono.fromCallable(provider::resolveCredentials)
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(SdkException.class, (ex) -> new OutboundCredentialsException(
					"Cannot resolve AWS credentials for SigV4: " + ex.getMessage(), ex));
	}

	private Instant reuseUntil(AwsCredentials identity) {
		Instant undated = this.clock.instant().plus(UNDATED_CREDENTIALS_REUSE);
		return identity.expirationTime()
			.map((expiry) -> expiry.minus(EXPIRY_MARGIN))
			.filter((until) -> until.isBefore(undated))
			.orElse(undated);
	}

	private static Set<String> caseInsensitive(String... names) {
		Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		set.addAll(List.of(names));
		return Collections.unmodifiableSet(set);
	}

	private static String requireText(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
		}
		return value;
	}

	@Override
	public String toString() {
		return "SigV4Credentials[region=" + this.region + ", service=" + this.service + "]";
	}

}
