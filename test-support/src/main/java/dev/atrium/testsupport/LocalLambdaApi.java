package dev.atrium.testsupport;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The Lambda Invoke API on a free loopback port, for the AWS SDK's endpoint override:
 * {@code POST /2015-03-31/functions/{FunctionName}/invocations}, with the
 * {@code Qualifier} query parameter and the {@code X-Amz-Client-Context} header. Like AWS
 * it refuses a request whose SigV4 {@code Authorization} is missing or scoped to another
 * region or service ({@code 403 InvalidSignatureException}; the signature itself is not
 * recomputed). The functions are one handler given by the test; it records every
 * invocation.
 */
public final class LocalLambdaApi implements AutoCloseable {

	private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

	private static final Pattern SCOPE = Pattern
		.compile("AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request, SignedHeaders=.+");

	private final String region;

	private final DisposableServer server;

	private final List<Invocation> invocations = new CopyOnWriteArrayList<>();

	private volatile Function<Invocation, Reply> functions = (invocation) -> Reply.ok(invocation.payload());

	private LocalLambdaApi(String region) {
		this.region = region;
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	/** An API that accepts requests signed for the region, and echoes every event. */
	public static LocalLambdaApi start(String region) {
		return new LocalLambdaApi(region);
	}

	/** The endpoint, e.g. {@code http://127.0.0.1:41234}. */
	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	/** What the functions answer from now on. */
	public void answer(Function<Invocation, Reply> functions) {
		this.functions = functions;
	}

	/** The invocations received so far, oldest first. */
	public List<Invocation> invocations() {
		return List.copyOf(this.invocations);
	}

	/** Forgets the invocations, and echoes every event again. */
	public void reset() {
		this.invocations.clear();
		this.functions = (invocation) -> Reply.ok(invocation.payload());
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			URI uri = URI.create(request.uri());
			Matcher invoke = INVOKE.matcher(uri.getRawPath());
			if (!"POST".equals(request.method().name()) || !invoke.matches()) {
				return error(response, 404, "UnknownOperationException", "No such operation: " + uri.getRawPath());
			}
			Map<String, String> headers = request.requestHeaders()
				.entries()
				.stream()
				.collect(Collectors.toMap((entry) -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
						(first, second) -> first + "," + second));
			Matcher scope = SCOPE.matcher(headers.getOrDefault("authorization", ""));
			if (!scope.matches() || !this.region.equals(scope.group(1)) || !"lambda".equals(scope.group(2))) {
				return error(response, 403, "InvalidSignatureException",
						"Expected a SigV4 signature for " + this.region + "/lambda");
			}
			Invocation invocation = new Invocation(decode(invoke.group(1)), qualifier(uri.getRawQuery()),
					clientContext(headers.get("x-amz-client-context")), body, headers);
			this.invocations.add(invocation);
			return reply(this.functions.apply(invocation), invocation, response);
		});
	}

	private static Mono<Void> reply(Reply reply, Invocation invocation, HttpServerResponse response) {
		if (reply.status() == 0) {
			return Mono.never();
		}
		if (reply.errorType() != null) {
			return error(response, reply.status(), reply.errorType(), reply.body());
		}
		HttpServerResponse answer = response.status(reply.status())
			.header("Content-Type", "application/json")
			.header("X-Amz-Executed-Version", (invocation.qualifier() != null) ? invocation.qualifier() : "$LATEST");
		if (reply.functionError() != null) {
			answer = answer.header("X-Amz-Function-Error", reply.functionError());
		}
		return answer.sendString(Mono.just(reply.body())).then();
	}

	/** Errors of the service itself, in Lambda's REST-JSON shape. */
	private static Mono<Void> error(HttpServerResponse response, int status, String type, String message) {
		return response.status(status)
			.header("Content-Type", "application/json")
			.header("x-amzn-ErrorType", type)
			.sendString(Mono.just("{\"Type\":\"User\",\"message\":\"" + message.replace("\"", "'") + "\"}"))
			.then();
	}

	private static String qualifier(String rawQuery) {
		if (rawQuery == null) {
			return null;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.startsWith("Qualifier=")) {
				return decode(pair.substring("Qualifier=".length()));
			}
		}
		return null;
	}

	private static String clientContext(String header) {
		return (header != null) ? new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8) : null;
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	/**
	 * An invocation the API received.
	 *
	 * @param functionName the function's name or ARN, decoded
	 * @param qualifier the {@code Qualifier} query parameter; null for none
	 * @param clientContext the {@code X-Amz-Client-Context} header, base64-decoded; null
	 * for none
	 * @param payload the event
	 * @param headers the request's headers, names in lower case
	 */
	public record Invocation(String functionName, String qualifier, String clientContext, String payload,
			Map<String, String> headers) {

	}

	/**
	 * What the API answers.
	 *
	 * @param status the HTTP status; 0 for no answer at all
	 * @param body the function's payload, or the service error's message
	 * @param functionError the {@code X-Amz-Function-Error} header; null for none
	 * @param errorType the service error's type, e.g. {@code ResourceNotFoundException};
	 * null when the function ran
	 */
	public record Reply(int status, String body, String functionError, String errorType) {

		/** The function returned this JSON. */
		public static Reply ok(String payload) {
			return new Reply(200, payload, null, null);
		}

		/** The function threw, as Lambda reports it: still HTTP 200. */
		public static Reply functionFailed(String errorType, String errorMessage) {
			return new Reply(200, "{\"errorMessage\":\"" + errorMessage + "\",\"errorType\":\"" + errorType
					+ "\",\"stackTrace\":[\"at handler (index.js:3)\"]}", "Unhandled", null);
		}

		/**
		 * Lambda itself refused, e.g. 404 ResourceNotFoundException or 429
		 * TooManyRequestsException.
		 */
		public static Reply serviceError(int status, String errorType, String message) {
			return new Reply(status, message, null, errorType);
		}

		/** No answer, ever. */
		public static Reply never() {
			return new Reply(0, "", null, null);
		}

	}

}
