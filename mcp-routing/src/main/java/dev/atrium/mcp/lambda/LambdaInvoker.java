package dev.atrium.mcp.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a Lambda function for a tool, as AgentCore Gateway does: a synchronous
 * ({@code RequestResponse}) Invoke whose event is the tool's arguments and whose client
 * context names the tool. Whatever goes wrong is a tool error ({@code isError}) with a
 * message for the model, never a stack trace, and never later than the timeout.
 */
public final class LambdaInvoker {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final LambdaClient client;

	private final String target;

	private final String functionName;

	private final String qualifier;

	private final Duration timeout;

	/**
	 * @param client the Lambda client; its calls block, so they run on a thread that may
	 * @param target the target's name, which prefixes tool names in the client context
	 * @param functionName the function's name or ARN
	 * @param qualifier its version or alias; null for {@code $LATEST} or what the ARN
	 * names
	 * @param timeout the longest wait for the function's answer
	 */
	public LambdaInvoker(LambdaClient client, String target, String functionName, String qualifier, Duration timeout) {
		this.client = Objects.requireNonNull(client, "client");
		this.target = Objects.requireNonNull(target, "target");
		this.functionName = Objects.requireNonNull(functionName, "functionName");
		this.qualifier = qualifier;
		this.timeout = Objects.requireNonNull(timeout, "timeout");
	}

	/**
	 * A Lambda client over the JDK's HTTP connection. It does not retry: an Invoke may
	 * have run the function even when it failed, and Atrium's resilience decides about
	 * retries. Its own timeouts match {@code timeout}, so that a call given up on does
	 * not hold its thread longer.
	 * @param region the region; null for the SDK's region provider chain
	 * @param endpoint another endpoint than AWS's (tests, VPC endpoints); may be null
	 * @param credentials the credentials it signs with
	 * @param timeout the longest wait for one call
	 */
	public static LambdaClient client(String region, URI endpoint, AwsCredentialsProvider credentials,
			Duration timeout) {
		LambdaClientBuilder builder = LambdaClient.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(timeout))
			.credentialsProvider(credentials)
			.overrideConfiguration(
					(override) -> override.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(timeout));
		if (region != null) {
			builder.region(Region.of(region));
		}
		if (endpoint != null) {
			builder.endpointOverride(endpoint);
		}
		return builder.build();
	}

	/** The result of calling a tool with its arguments. */
	public Mono<ObjectNode> call(String tool, Map<String, Object> arguments) {
		InvokeRequest request = request(tool, arguments);
		return Mono.fromCallable(() -> this.client.invoke(request))
			.subscribeOn(Schedulers.boundedElastic())
			.map(LambdaInvoker::result)
			.timeout(this.timeout)
			.onErrorResume((ex) -> !(ex instanceof Error), (ex) -> Mono.just(failure(ex)));
	}

	InvokeRequest request(String tool, Map<String, Object> arguments) {
		byte[] event = JSON.writeValueAsBytes((arguments != null) ? arguments : Map.of());
		return InvokeRequest.builder()
			.functionName(this.functionName)
			.qualifier(this.qualifier)
			.invocationType(InvocationType.REQUEST_RESPONSE)
			.clientContext(LambdaClientContext.encode(this.target, tool))
			.payload(SdkBytes.fromByteArray(event))
			.build();
	}

	static ObjectNode result(InvokeResponse response) {
		return LambdaResults.of(response.functionError(),
				(response.payload() != null) ? response.payload().asByteArray() : null);
	}

	ObjectNode failure(Throwable ex) {
		if (ex instanceof TimeoutException || ex instanceof ApiCallTimeoutException
				|| ex instanceof ApiCallAttemptTimeoutException) {
			return LambdaResults.error("Lambda function " + function() + " did not answer within " + this.timeout);
		}
		if (ex instanceof AwsServiceException service) {
			String code = (service.awsErrorDetails() != null) ? service.awsErrorDetails().errorCode() : null;
			String message = (service.awsErrorDetails() != null) ? service.awsErrorDetails().errorMessage() : null;
			return LambdaResults.error("Lambda function " + function() + " could not be invoked: "
					+ Objects.requireNonNullElse(code, "error") + " (HTTP " + service.statusCode() + ")"
					+ ((message != null) ? ": " + message : ""));
		}
		if (ex instanceof SdkClientException client) {
			return LambdaResults
				.error("Lambda function " + function() + " could not be invoked: " + client.getMessage());
		}
		return LambdaResults.error("Lambda function " + function() + " failed: " + ex.getClass().getSimpleName());
	}

	private String function() {
		return this.functionName + ((this.qualifier != null) ? " (" + this.qualifier + ")" : "");
	}

	@Override
	public String toString() {
		return "LambdaInvoker[target=" + this.target + ", function=" + function() + ", timeout=" + this.timeout + "]";
	}

}
