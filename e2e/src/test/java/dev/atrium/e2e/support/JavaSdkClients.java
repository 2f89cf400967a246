package dev.atrium.e2e.support;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

/**
 * Builds MCP clients of the official MCP Java SDK that speak streamable HTTP through the
 * SDK's {@code java.net.http} transport ({@link HttpClientStreamableHttpTransport}), to
 * play a real, independently written client of the gateway.
 * <p>
 * Closing a client built here also shuts down the {@link HttpClient} behind it, which the
 * SDK leaves running. Prefer {@link McpSyncClient#closeGracefully()}: it waits for the
 * session's {@code DELETE}, where {@link McpSyncClient#close()} only starts it.
 *
 * @see JavaSdkUpstream
 */
public final class JavaSdkClients {

	/** Request, initialization and connect timeout when none is given. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private JavaSdkClients() {
	}

	/**
	 * Connect to an MCP endpoint and initialize the session.
	 * @param url the endpoint URL, for example {@code http://127.0.0.1:8080/mcp}
	 * @return an initialized client
	 */
	public static McpSyncClient connect(String url) {
		return connect(url, Map.of(), DEFAULT_TIMEOUT);
	}

	/**
	 * Connect to an MCP endpoint, sending extra headers on every request, and initialize
	 * the session.
	 * @param url the endpoint URL
	 * @param headers headers to add to every HTTP request (for example
	 * {@code Authorization}); a value replaces any the SDK sets
	 * @return an initialized client
	 */
	public static McpSyncClient connect(String url, Map<String, String> headers) {
		return connect(url, headers, DEFAULT_TIMEOUT);
	}

	/**
	 * Connect to an MCP endpoint, sending extra headers on every request, and initialize
	 * the session.
	 * @param url the endpoint URL
	 * @param headers headers to add to every HTTP request
	 * @param timeout the request, initialization and connect timeout
	 * @return an initialized client
	 */
	public static McpSyncClient connect(String url, Map<String, String> headers, Duration timeout) {
		McpSyncClient client = create(url, headers, timeout);
		try {
			client.initialize();
			return client;
		}
		catch (RuntimeException ex) {
			client.close();
			throw ex;
		}
	}

	/**
	 * Build a client without initializing it, for tests of the initialization itself.
	 * @param url the endpoint URL
	 * @param headers headers to add to every HTTP request
	 * @param timeout the request, initialization and connect timeout
	 * @return a client on which {@link McpSyncClient#initialize()} has not been called
	 */
	public static McpSyncClient create(String url, Map<String, String> headers, Duration timeout) {
		return McpClient.sync(transport(url, headers, timeout))
			.clientInfo(McpSchema.Implementation.builder("atrium-e2e-java-sdk-client", "1.0.0").build())
			.requestTimeout(timeout)
			.initializationTimeout(timeout)
			.build();
	}

	/**
	 * Build the client transport alone, for a test that wants its own client settings.
	 * @param url the endpoint URL
	 * @param headers headers to add to every HTTP request
	 * @param timeout the connect timeout
	 * @return a transport that shuts its {@link HttpClient} down when closed
	 */
	public static McpClientTransport transport(String url, Map<String, String> headers, Duration timeout) {
		URI uri = URI.create(url);
		// The SDK resolves the endpoint against the base URI: split the URL so that any
		// path (a gateway may serve several endpoints) is kept as it was given.
		String baseUri = uri.getScheme() + "://" + uri.getRawAuthority();
		String endpoint = (uri.getRawQuery() != null) ? uri.getRawPath() + "?" + uri.getRawQuery() : uri.getRawPath();
		Map<String, String> extraHeaders = new LinkedHashMap<>(headers);
		CapturingClientBuilder clientBuilder = new CapturingClientBuilder(
				HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
		HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseUri)
			.endpoint(endpoint)
			.clientBuilder(clientBuilder)
			.connectTimeout(timeout)
			.addHttpRequestCustomizer(
					(request, method, target, body, context) -> extraHeaders.forEach(request::setHeader))
			.build();
		return new ClosingTransport(transport, clientBuilder.built.get());
	}

	/**
	 * Call a tool.
	 * @param client the client
	 * @param name the tool name
	 * @param arguments the arguments
	 * @return the result, which may have {@code isError} set
	 * @throws io.modelcontextprotocol.spec.McpError on a JSON-RPC error, for example an
	 * unknown tool
	 */
	public static McpSchema.CallToolResult callTool(McpSyncClient client, String name, Map<String, Object> arguments) {
		return client.callTool(McpSchema.CallToolRequest.builder(name).arguments(arguments).build());
	}

	/**
	 * The text of a tool result's first content.
	 * @param result the result
	 * @return the text
	 * @throws IllegalArgumentException if the first content is not text
	 */
	public static String text(McpSchema.CallToolResult result) {
		if (result.content().isEmpty() || !(result.content().get(0) instanceof McpSchema.TextContent text)) {
			throw new IllegalArgumentException("Not a text result: " + result);
		}
		return text.text();
	}

	/**
	 * Read a resource and return the text of its first contents.
	 * @param client the client
	 * @param uri the resource URI
	 * @return the text
	 * @throws IllegalArgumentException if the first contents are not text
	 */
	public static String readText(McpSyncClient client, String uri) {
		McpSchema.ReadResourceResult result = client.readResource(McpSchema.ReadResourceRequest.builder(uri).build());
		if (result.contents().isEmpty() || !(result.contents().get(0) instanceof McpSchema.TextResourceContents text)) {
			throw new IllegalArgumentException("Not a text resource: " + result);
		}
		return text.text();
	}

	/**
	 * Get a prompt.
	 * @param client the client
	 * @param name the prompt name
	 * @param arguments the arguments
	 * @return the prompt
	 */
	public static McpSchema.GetPromptResult getPrompt(McpSyncClient client, String name,
			Map<String, Object> arguments) {
		return client.getPrompt(McpSchema.GetPromptRequest.builder(name).arguments(arguments).build());
	}

	/**
	 * Delegates to the SDK transport and shuts the {@link HttpClient} down once the
	 * transport is closed, so that no selector thread outlives the client.
	 */
	private static final class ClosingTransport implements McpClientTransport {

		private final McpClientTransport delegate;

		private final HttpClient httpClient;

		ClosingTransport(McpClientTransport delegate, HttpClient httpClient) {
			this.delegate = delegate;
			this.httpClient = httpClient;
		}

		@Override
		public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
			return this.delegate.connect(handler);
		}

		@Override
		public void setExceptionHandler(Consumer<Throwable> handler) {
			this.delegate.setExceptionHandler(handler);
		}

		@Override
		public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
			return this.delegate.sendMessage(message);
		}

		@Override
		public Mono<Void> closeGracefully() {
			return this.delegate.closeGracefully().doFinally((signal) -> shutdownHttpClient());
		}

		@Override
		public void close() {
			closeGracefully().subscribe((ignored) -> {
			}, (error) -> {
				// Closing is best effort: the peer may already be gone.
			});
		}

		@Override
		public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
			return this.delegate.unmarshalFrom(data, typeRef);
		}

		@Override
		public List<String> protocolVersions() {
			return this.delegate.protocolVersions();
		}

		private void shutdownHttpClient() {
			if (this.httpClient != null) {
				// Not close(): that would wait for the SSE stream, which may never end.
				this.httpClient.shutdownNow();
			}
		}

	}

	/**
	 * Hands the SDK a builder whose product it can keep a hold of: the SDK builds its
	 * {@link HttpClient} itself and never closes it.
	 */
	private static final class CapturingClientBuilder implements HttpClient.Builder {

		private final HttpClient.Builder delegate;

		private final AtomicReference<HttpClient> built = new AtomicReference<>();

		CapturingClientBuilder(HttpClient.Builder delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpClient build() {
			HttpClient client = this.delegate.build();
			this.built.set(client);
			return client;
		}

		@Override
		public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
			this.delegate.cookieHandler(cookieHandler);
			return this;
		}

		@Override
		public HttpClient.Builder connectTimeout(Duration duration) {
			this.delegate.connectTimeout(duration);
			return this;
		}

		@Override
		public HttpClient.Builder sslContext(SSLContext sslContext) {
			this.delegate.sslContext(sslContext);
			return this;
		}

		@Override
		public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
			this.delegate.sslParameters(sslParameters);
			return this;
		}

		@Override
		public HttpClient.Builder executor(Executor executor) {
			this.delegate.executor(executor);
			return this;
		}

		@Override
		public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
			this.delegate.followRedirects(policy);
			return this;
		}

		@Override
		public HttpClient.Builder version(HttpClient.Version version) {
			this.delegate.version(version);
			return this;
		}

		@Override
		public HttpClient.Builder priority(int priority) {
			this.delegate.priority(priority);
			return this;
		}

		@Override
		public HttpClient.Builder proxy(ProxySelector proxySelector) {
			this.delegate.proxy(proxySelector);
			return this;
		}

		@Override
		public HttpClient.Builder authenticator(Authenticator authenticator) {
			this.delegate.authenticator(authenticator);
			return this;
		}

		@Override
		public HttpClient.Builder localAddress(InetAddress localAddr) {
			this.delegate.localAddress(localAddr);
			return this;
		}

	}

}
