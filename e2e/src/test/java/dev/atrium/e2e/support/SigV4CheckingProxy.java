package dev.atrium.e2e.support;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.testsupport.SigV4Verifier;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An AWS service in front of an MCP server, on a free loopback port: it accepts requests
 * at one path (and query) only, checks each one's SigV4 signature by recomputing it
 * ({@link SigV4Verifier}, written from the specification), refuses a wrong one with 403
 * as AWS does, and forwards the rest to the MCP server, without the AWS headers. With
 * {@link #agentCoreRuntime} it plays the invocations endpoint of Amazon Bedrock AgentCore
 * Runtime: {@code POST /runtimes/{URL-encoded ARN}/invocations?qualifier=...}, service
 * {@code bedrock-agentcore}. It records every request it receives, with the verdict.
 */
public final class SigV4CheckingProxy implements AutoCloseable {

	/** The service name AgentCore Runtime's signatures are scoped to. */
	public static final String AGENTCORE_SERVICE = "bedrock-agentcore";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Headers of the hop to this proxy, and AWS's, which the MCP server does not get. */
	private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "transfer-encoding", "connection",
			"authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token");

	private final SigV4Verifier verifier;

	private final String path;

	private final String query;

	private final String upstream;

	private final ConnectionProvider connections = ConnectionProvider.create("sigv4-checking-proxy", 16);

	private final HttpClient client = HttpClient.create(this.connections).responseTimeout(Duration.ofSeconds(30));

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final DisposableServer server;

	private SigV4CheckingProxy(SigV4Verifier verifier, String path, String query, String upstream) {
		this.verifier = verifier;
		this.path = path;
		this.query = query;
		this.upstream = upstream;
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	/**
	 * A proxy that accepts requests at {@code path} signed with {@code secretAccessKey}
	 * for the region and service.
	 * @param upstream the MCP server's endpoint URL
	 * @param path the only raw path accepted, e.g. {@code /mcp}
	 * @param secretAccessKey the secret key signatures must be made with
	 * @param region the region signatures must be scoped to
	 * @param service the service signatures must be scoped to
	 * @return the running proxy
	 */
	public static SigV4CheckingProxy start(String upstream, String path, String secretAccessKey, String region,
			String service) {
		return new SigV4CheckingProxy(new SigV4Verifier(secretAccessKey, region, service), path, null, upstream);
	}

	/**
	 * AgentCore Runtime's invocations endpoint for one runtime and qualifier.
	 * @param upstream the MCP server's endpoint URL, which plays the runtime's container
	 * @param runtimeArn the runtime's ARN; its region is the signature's
	 * @param qualifier the endpoint qualifier, e.g. {@code DEFAULT}
	 * @param secretAccessKey the secret key signatures must be made with
	 * @return the running endpoint; its {@link #url()} is the target's
	 * {@code agentcore.endpoint}
	 */
	public static SigV4CheckingProxy agentCoreRuntime(String upstream, String runtimeArn, String qualifier,
			String secretAccessKey) {
		String region = runtimeArn.split(":")[3];
		String path = "/runtimes/" + URLEncoder.encode(runtimeArn, StandardCharsets.UTF_8) + "/invocations";
		return new SigV4CheckingProxy(new SigV4Verifier(secretAccessKey, region, AGENTCORE_SERVICE), path,
				"qualifier=" + URLEncoder.encode(qualifier, StandardCharsets.UTF_8), upstream);
	}

	/** The base URL, e.g. {@code http://127.0.0.1:41234}. */
	public String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** The requests received so far, oldest first, the refused ones too. */
	public List<Received> received() {
		return List.copyOf(this.received);
	}

	/** The requests received so far that carried the JSON-RPC method. */
	public List<Received> received(String jsonRpcMethod) {
		return this.received.stream().filter((request) -> jsonRpcMethod.equals(request.jsonRpcMethod())).toList();
	}

	@Override
	public void close() {
		this.server.disposeNow();
		this.connections.dispose();
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((body) -> {
			URI uri = URI.create(request.uri());
			Map<String, List<String>> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach((entry) -> headers
					.computeIfAbsent(entry.getKey().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>())
					.add(entry.getValue()));
			String method = request.method().name();
			SigV4Verifier.Result verdict = this.verifier.verify(method, uri.getRawPath(), uri.getRawQuery(), headers,
					body);
			Received received = new Received(method, uri.getRawPath(), uri.getRawQuery(), headers,
					new String(body, StandardCharsets.UTF_8), verdict);
			this.received.add(received);
			if (!this.path.equals(uri.getRawPath()) || !Objects.equals(this.query, uri.getRawQuery())) {
				return error(response, 404, "ResourceNotFoundException", "No such resource: " + request.uri());
			}
			if (!verdict.valid()) {
				return error(response, 403, "InvalidSignatureException",
						"The request signature we calculated does not match the signature you provided: "
								+ verdict.reason());
			}
			if (!"POST".equals(method) && !"DELETE".equals(method)) {
				// Streamable HTTP lets a server refuse the GET stream.
				return response.status(405).send();
			}
			return forward(method, headers, body, response);
		});
	}

	private Mono<Void> forward(String method, Map<String, List<String>> headers, byte[] body,
			HttpServerResponse response) {
		return this.client.headers((forwarded) -> headers.forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name)) {
				forwarded.add(name, values);
			}
		}))
			.request(HttpMethod.valueOf(method))
			.uri(this.upstream)
			.send((outbound, out) -> out.sendByteArray(Mono.just(body)))
			.responseSingle((answer, content) -> content.asByteArray()
				.defaultIfEmpty(new byte[0])
				.flatMap((bytes) -> response.status(answer.status())
					.headers(answer.responseHeaders()
						.copy()
						.remove("content-length")
						.remove("transfer-encoding")
						.remove("connection"))
					.sendByteArray(Mono.just(bytes))
					.then()));
	}

	private static Mono<Void> error(HttpServerResponse response, int status, String type, String message) {
		return response.status(status)
			.header("Content-Type", "application/json")
			.header("x-amzn-ErrorType", type)
			.sendString(Mono.just(JSON.writeValueAsString(Map.of("message", message))))
			.then();
	}

	/**
	 * A request the proxy received.
	 *
	 * @param method the HTTP method
	 * @param path the raw path
	 * @param query the raw query; null for none
	 * @param headers its headers, names in lower case
	 * @param body its body
	 * @param verdict what recomputing its signature found
	 */
	public record Received(String method, String path, String query, Map<String, List<String>> headers, String body,
			SigV4Verifier.Result verdict) {

		/** The first value of a header, or {@code null}. */
		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		/** The JSON-RPC method of the body, or {@code null}. */
		public String jsonRpcMethod() {
			if (this.body.isBlank()) {
				return null;
			}
			JsonNode message = JSON.readTree(this.body);
			return message.path("method").isString() ? message.path("method").asString() : null;
		}

	}

}
