package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.atrium.mcp.client.StreamableHttpClient;
import dev.atrium.mcp.client.TargetEndpoint;
import dev.atrium.mcp.client.TargetException;
import dev.atrium.mcp.client.UpstreamSession;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.testsupport.SigV4Verifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * MCP requests signed with SigV4 through the client, to a local endpoint that checks
 * every signature as AWS does ({@link SigV4Verifier}, written from the specification) and
 * answers 403 when it does not hold.
 */
class SigV4TargetTests {

	private static final String ACCESS_KEY = "AKIDLOCALTEST";

	private static final String SECRET = "local/secret+key/for/the/signature/test";

	private static final String REGION = "eu-west-1";

	private static final JsonRpcCodec CODEC = new JsonRpcCodec();

	private static final SigV4Verifier VERIFIER = new SigV4Verifier(SECRET, REGION, SigV4Credentials.DEFAULT_SERVICE);

	private static final Queue<Received> received = new ConcurrentLinkedQueue<>();

	private static DisposableServer target;

	@BeforeAll
	static void start() {
		target = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/mcp", SigV4TargetTests::answer).delete("/mcp", SigV4TargetTests::answer))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		target.disposeNow();
	}

	@BeforeEach
	void forget() {
		received.clear();
	}

	@Test
	void aSignedRequestReachesTheTarget() {
		JsonRpcMessage answer = client(credentials(SECRET), HttpClient.create(ConnectionProvider.newConnection()),
				Map.of("X-Static", "configured"))
			.request(call("signed"), new UpstreamSession("s-1", "2025-06-18"))
			.block();
		assertThat(answer.node().path("result").path("text").asString()).isEqualTo("signed");
		Received request = received.remove();
		assertThat(request.verdict().valid()).as(request.verdict().reason()).isTrue();
		assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
			.contains("/" + REGION + "/bedrock-agentcore/aws4_request")
			.contains("x-static")
			.contains("mcp-session-id");
	}

	@Test
	void sessionCredentialsSendAndSignTheirToken() {
		SigV4Credentials credentials = new SigV4Credentials(REGION, SigV4Credentials.DEFAULT_SERVICE,
				StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET, "session-token")),
				Clock.systemUTC());
		client(credentials, HttpClient.create(ConnectionProvider.newConnection()), Map.of())
			.request(call("signed"), null)
			.block();
		Received request = received.remove();
		assertThat(request.verdict().valid()).as(request.verdict().reason()).isTrue();
		assertThat(request.securityToken()).isEqualTo("session-token");
		assertThat(request.authorization()).contains("x-amz-security-token");
	}

	@Test
	void theSignatureReplacesAConfiguredAuthorizationHeader() {
		client(credentials(SECRET), HttpClient.create(ConnectionProvider.newConnection()),
				Map.of("Authorization", "Bearer configured"))
			.request(call("signed"), null)
			.block();
		Received request = received.remove();
		assertThat(request.verdict().valid()).as(request.verdict().reason()).isTrue();
		assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 ");
	}

	@Test
	void aWrongSecretIsRefusedByTheTarget() {
		StreamableHttpClient client = client(credentials("not-the-secret"),
				HttpClient.create(ConnectionProvider.newConnection()), Map.of());
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> client.request(call("signed"), null).block())
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEqualTo(403));
		assertThat(received.remove().verdict().reason()).startsWith("signature mismatch");
	}

	@Test
	void aBodyChangedAfterSigningIsRefusedByTheTarget() {
		HttpClient tampering = HttpClient.create(ConnectionProvider.newConnection())
			.doOnChannelInit((observer, channel, address) -> channel.pipeline().addLast(new Tampering()));
		StreamableHttpClient client = client(credentials(SECRET), tampering, Map.of());
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> client.request(call("signed"), null).block())
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEqualTo(403));
		Received request = received.remove();
		assertThat(request.body()).contains("forged");
		assertThat(request.verdict().valid()).isFalse();
	}

	@Test
	void theDeleteThatEndsASessionIsSigned() {
		client(credentials(SECRET), HttpClient.create(ConnectionProvider.newConnection()), Map.of())
			.terminate(new UpstreamSession("s-1", "2025-06-18"))
			.block();
		Received request = received.remove();
		assertThat(request.method()).isEqualTo("DELETE");
		assertThat(request.verdict().valid()).as(request.verdict().reason()).isTrue();
	}

	private static SigV4Credentials credentials(String secret) {
		return new SigV4Credentials(REGION, SigV4Credentials.DEFAULT_SERVICE,
				StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)), Clock.systemUTC());
	}

	private static StreamableHttpClient client(OutboundCredentials credentials, HttpClient httpClient,
			Map<String, String> headers) {
		URI uri = URI.create("http://127.0.0.1:" + target.port() + "/mcp");
		return new StreamableHttpClient(new TargetEndpoint("aws", uri, headers, Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofSeconds(5), credentials), httpClient, CODEC);
	}

	private static JsonRpcMessage call(String text) {
		ObjectNode params = JsonRpcCodec.object();
		params.put("name", "echo");
		params.putObject("arguments").put("text", text);
		return JsonRpcCodec.request("1", "tools/call", params);
	}

	private static Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((body) -> {
			Map<String, List<String>> headers = new LinkedHashMap<>();
			request.requestHeaders()
				.forEach((header) -> headers.computeIfAbsent(header.getKey(), (name) -> new ArrayList<>())
					.add(header.getValue()));
			String uri = request.uri();
			int question = uri.indexOf('?');
			String path = (question < 0) ? uri : uri.substring(0, question);
			String query = (question < 0) ? "" : uri.substring(question + 1);
			SigV4Verifier.Result verdict = VERIFIER.verify(request.method().name(), path, query, headers, body);
			String text = new String(body, StandardCharsets.UTF_8);
			received.add(new Received(request.method().name(), request.requestHeaders().get("Authorization"),
					request.requestHeaders().get("X-Amz-Security-Token"), text, verdict));
			if (!verdict.valid()) {
				return response.status(403)
					.sendString(Mono.just("{\"message\":\"The request signature we calculated does not match\"}"))
					.then();
			}
			if (body.length == 0) {
				return response.status(200).send().then();
			}
			JsonRpcMessage call = CODEC.readTargetMessage(text);
			ObjectNode result = JsonRpcCodec.object();
			result.put("text", call.node().path("params").path("arguments").path("text").asString());
			return response.header("Content-Type", "application/json")
				.sendByteArray(Mono.just(CODEC.write(JsonRpcCodec.result(call.node().get("id"), result))))
				.then();
		});
	}

	private record Received(String method, String authorization, String securityToken, String body,
			SigV4Verifier.Result verdict) {
	}

	/** Changes the body on the wire, after it was signed. */
	private static final class Tampering extends ChannelOutboundHandlerAdapter {

		private static final byte[] SIGNED = "signed".getBytes(StandardCharsets.US_ASCII);

		private static final byte[] FORGED = "forged".getBytes(StandardCharsets.US_ASCII);

		@Override
		public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
			ByteBuf content = (message instanceof ByteBufHolder holder) ? holder.content()
					: (message instanceof ByteBuf buffer) ? buffer : null;
			if (content != null) {
				for (int i = content.readerIndex(); i <= content.writerIndex() - SIGNED.length; i++) {
					if (matches(content, i)) {
						content.setBytes(i, FORGED);
					}
				}
			}
			context.write(message, promise);
		}

		private static boolean matches(ByteBuf content, int index) {
			for (int j = 0; j < SIGNED.length; j++) {
				if (content.getByte(index + j) != SIGNED[j]) {
					return false;
				}
			}
			return true;
		}

	}

}
