package dev.atrium.mcp.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.atrium.mcp.client.credentials.OutboundCredentialsException;
import dev.atrium.mcp.client.credentials.OutgoingRequest;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpHeaders;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.ParamHeaders;
import dev.atrium.mcp.protocol.ProtocolVersion;
import dev.atrium.mcp.protocol.RequestMeta;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The client side of the MCP streamable HTTP transport, for one target: every request is
 * a POST whose answer is a JSON body, an SSE stream or 202.
 */
public final class StreamableHttpClient {

	private static final Logger logger = LoggerFactory.getLogger(StreamableHttpClient.class);

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE_EVENTS = new ParameterizedTypeReference<>() {
	};

	/**
	 * Tool results may carry images or documents; bounded so one answer cannot exhaust
	 * the heap.
	 */
	private static final int MAX_JSON_BODY_BYTES = 16 * 1024 * 1024;

	private static final String INITIALIZE_ID = "atrium-initialize";

	/** Stands for the head of a standalone stream's response. */
	private static final Object HEAD = new Object();

	private static final String DISCOVER_ID = "atrium-discover";

	private static final String LISTEN_ID = "atrium-listen";

	/**
	 * Whether the target speaks 2026-07-28, learnt once and kept, as that revision asks
	 * clients to keep it per origin (versioning, "Backward Compatibility").
	 */
	private final AtomicReference<Era> era;

	/** Whether the era was configured, and so is never asked nor forgotten. */
	private final boolean eraConfigured;

	private final TargetEndpoint endpoint;

	private final JsonRpcCodec codec;

	private final WebClient webClient;

	private final CallerHeaders callerHeaders;

	public StreamableHttpClient(TargetEndpoint endpoint, HttpClient httpClient, JsonRpcCodec codec) {
		this(endpoint, httpClient, codec, CallerHeaders.NONE);
	}

	public StreamableHttpClient(TargetEndpoint endpoint, HttpClient httpClient, JsonRpcCodec codec,
			CallerHeaders callerHeaders) {
		this.endpoint = endpoint;
		this.era = new AtomicReference<>(switch (endpoint.era()) {
			case AUTO -> Era.UNKNOWN;
			case LEGACY -> Era.LEGACY;
			case MODERN -> Era.MODERN;
		});
		this.eraConfigured = endpoint.era() != TargetEra.AUTO;
		this.codec = codec;
		this.callerHeaders = callerHeaders;
		// No read timeout on the connection: it would cut a stream that is only slow
		// between events. The first-byte and idle limits are applied per answer below.
		HttpClient configured = httpClient.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
				Math.toIntExact(endpoint.connectTimeout().toMillis()));
		this.webClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(configured))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(MAX_JSON_BODY_BYTES))
			.build();
	}

	public TargetEndpoint endpoint() {
		return this.endpoint;
	}

	/**
	 * Opens a session with the target. A target that speaks 2026-07-28 has none to open:
	 * its {@code server/discover} answer stands for the {@code initialize} one, and the
	 * session is stateless. Any other is sent {@code initialize}, then
	 * {@code notifications/initialized}. Which one the target is is asked the first time
	 * (a 2026-07-28 request first, as that revision's streamable HTTP transport says
	 * under "Backward Compatibility") and kept; asked again after a failure.
	 * @param params the params of the {@code initialize} request
	 */
	public Mono<UpstreamInitialization> initialize(ObjectNode params) {
		Era known = this.era.get();
		if (known == Era.LEGACY) {
			return initializeLegacy(params).doOnError((ex) -> learn(Era.UNKNOWN));
		}
		Mono<UpstreamInitialization> olderTarget = (known == Era.MODERN && this.eraConfigured)
				? Mono.error(() -> TargetException.unavailable(this.endpoint.name(),
						"is configured as MCP 2026-07-28 but did not answer server/discover as such"))
				: Mono.defer(() -> initializeLegacy(params));
		return discover(params).switchIfEmpty(olderTarget).doOnError((ex) -> learn(Era.UNKNOWN));
	}

	/** Keeps what was learnt of the target, unless its era is configured. */
	private void learn(Era learnt) {
		if (!this.eraConfigured) {
			this.era.set(learnt);
		}
	}

	/**
	 * Sends {@code server/discover} as a 2026-07-28 client: a discover result, or a
	 * 2026-07-28 error, tells a 2026-07-28 target; anything else an older one (empty).
	 */
	private Mono<UpstreamInitialization> discover(ObjectNode params) {
		UpstreamSession modern = new UpstreamSession(null, ProtocolVersion.V2026_07_28);
		ObjectNode discoverParams = JsonRpcCodec.object();
		ObjectNode meta = discoverParams.putObject("_meta");
		meta.set(RequestMeta.CLIENT_CAPABILITIES,
				(params.get("capabilities") instanceof ObjectNode caps) ? caps : JsonRpcCodec.object());
		if (params.get("clientInfo") instanceof ObjectNode info) {
			meta.set(RequestMeta.CLIENT_INFO, info);
		}
		JsonRpcMessage request = JsonRpcCodec.request(DISCOVER_ID, McpMethods.SERVER_DISCOVER, discoverParams);
		return send(request, modern).filter((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE)
			.next()
			// An older target may refuse the request in any way, or not answer it at all;
			// only one that cannot be reached, or was not called, says nothing of its
			// era.
			.onErrorResume(TargetException.class,
					(ex) -> (ex.fault() == TargetException.Fault.UNREACHABLE
							|| ex.fault() == TargetException.Fault.NOT_CALLED) ? Mono.error(ex) : Mono.empty())
			.flatMap((response) -> DiscoverAnswer.of(response, this.endpoint.name()))
			.doOnNext((answer) -> learn(Era.MODERN))
			.map((result) -> new UpstreamInitialization(modern, result))
			.switchIfEmpty(Mono.fromRunnable(() -> learn(Era.LEGACY)));
	}

	private Mono<UpstreamInitialization> initializeLegacy(ObjectNode params) {
		JsonRpcMessage request = JsonRpcCodec.request(INITIALIZE_ID, McpMethods.INITIALIZE, params);
		return exchange(request, null).collectList().flatMap(this::toInitialization).flatMap((initialization) -> {
			JsonRpcMessage initialized = JsonRpcCodec.notification(McpMethods.INITIALIZED, null);
			return send(initialized, initialization.session()).then().thenReturn(initialization);
		});
	}

	/**
	 * Sends one message and relays every message the target answers with, in order. A
	 * notification or a response gets no messages back (202).
	 */
	public Flux<JsonRpcMessage> send(JsonRpcMessage message, UpstreamSession session) {
		return exchange(message, session).ofType(Frame.Message.class).map(Frame.Message::message);
	}

	/**
	 * Sends one message and completes as soon as the target's answer begins, with whether
	 * the target streams it (SSE) and its messages, which must be subscribed to once.
	 */
	public Mono<UpstreamReply> call(JsonRpcMessage message, UpstreamSession session) {
		if (!message.isRequest()) {
			return callOnce(message, session);
		}
		return this.endpoint.busyRetry().around(() -> callOnce(message, session));
	}

	private Mono<UpstreamReply> callOnce(JsonRpcMessage message, UpstreamSession session) {
		return exchange(message, session).switchOnFirst((first, frames) -> {
			if (first.hasValue() && first.get() instanceof Frame.Head head) {
				Flux<JsonRpcMessage> messages = frames.skip(1).ofType(Frame.Message.class).map(Frame.Message::message);
				return Mono.just(new UpstreamReply(head.streamed(), messages));
			}
			return frames.then(Mono.empty());
			// The source stays open for the relayed messages after the head is handed on.
		}, false).singleOrEmpty();
	}

	/** Sends a request and completes with the target's response to it. */
	public Mono<JsonRpcMessage> request(JsonRpcMessage request, UpstreamSession session) {
		return send(request, session).filter((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE)
			.next()
			.switchIfEmpty(Mono.error(() -> TargetException.unavailable(this.endpoint.name(),
					"closed the stream without answering " + request.method())));
	}

	/**
	 * The target's standalone stream ({@code GET}): what it sends outside any call, as
	 * long as it keeps the stream open. Empty when the target offers none (405); an error
	 * when it cannot be opened otherwise. No idle limit: such a stream may stay quiet for
	 * long.
	 */
	public Flux<JsonRpcMessage> listen(UpstreamSession session) {
		return listen(session, List.of());
	}

	/**
	 * What the target sends outside any call, as long as it keeps the stream open: for a
	 * target with a session, its standalone stream ({@code GET}), where updates come for
	 * the resources subscribed to in the session; for a 2026-07-28 target, the stream of
	 * a {@code subscriptions/listen} that asks for every list change and for updates of
	 * {@code resourceUris}, without its acknowledgment and closing response. Empty when
	 * the target offers neither (405, or {@code -32601}); an error when it cannot be
	 * opened otherwise. No idle limit: such a stream may stay quiet for long.
	 * @param resourceUris the target's own URIs of the resources to hear about, for a
	 * 2026-07-28 target
	 */
	public Flux<JsonRpcMessage> listen(UpstreamSession session, List<String> resourceUris) {
		if (session.modern()) {
			return subscribe(session, resourceUris);
		}
		if (session.stateless()) {
			return Flux.empty();
		}
		return prepare(HttpMethod.GET, session, null)
			.flatMapMany((prepared) -> this.webClient.get()
				.uri(this.endpoint.uri())
				.headers((http) -> http.addAll(prepared.headers()))
				// The head, which the first-byte limit waits for, then the messages.
				.exchangeToFlux((response) -> Flux.concat(Mono.just(HEAD), listened(response, session))))
			.timeout(Mono.delay(this.endpoint.firstByteTimeout()), (item) -> Mono.never())
			.ofType(JsonRpcMessage.class)
			.onErrorMap(this::translate);
	}

	/**
	 * {@code subscriptions/listen} to a 2026-07-28 target (its basic patterns,
	 * "Subscriptions"): the notifications after the acknowledgment.
	 */
	private Flux<JsonRpcMessage> subscribe(UpstreamSession session, List<String> resourceUris) {
		ObjectNode params = JsonRpcCodec.object();
		ObjectNode notifications = params.putObject("notifications");
		notifications.put("toolsListChanged", true);
		notifications.put("promptsListChanged", true);
		notifications.put("resourcesListChanged", true);
		if (!resourceUris.isEmpty()) {
			resourceUris.forEach(notifications.putArray("resourceSubscriptions")::add);
		}
		JsonRpcMessage request = JsonRpcCodec.request(LISTEN_ID, McpMethods.SUBSCRIPTIONS_LISTEN, params);
		return prepare(HttpMethod.POST, session, request)
			.flatMapMany((prepared) -> this.webClient.post()
				.uri(this.endpoint.uri())
				.headers((http) -> http.addAll(prepared.headers()))
				.bodyValue(prepared.body())
				.exchangeToFlux((response) -> Flux.concat(Mono.just(HEAD), subscribed(response))))
			.timeout(Mono.delay(this.endpoint.firstByteTimeout()), (item) -> Mono.never())
			.ofType(JsonRpcMessage.class)
			.onErrorMap(this::translate)
			// The acknowledgment says what the target honours, which Atrium filters
			// anyway; the response only ends the stream.
			.filter((message) -> message.kind() == JsonRpcMessage.Kind.NOTIFICATION
					&& !McpMethods.SUBSCRIPTIONS_ACKNOWLEDGED.equals(message.method()))
			.map(StreamableHttpClient::withoutSubscriptionId);
	}

	/**
	 * The notification without the id of Atrium's own subscription, which means nothing
	 * to Atrium's clients.
	 */
	private static JsonRpcMessage withoutSubscriptionId(JsonRpcMessage notification) {
		if (!(notification.params().get("_meta") instanceof ObjectNode meta)
				|| !meta.has(RequestMeta.SUBSCRIPTION_ID)) {
			return notification;
		}
		ObjectNode params = notification.params().deepCopy();
		ObjectNode stripped = (ObjectNode) params.get("_meta");
		stripped.remove(RequestMeta.SUBSCRIPTION_ID);
		if (stripped.isEmpty()) {
			params.remove("_meta");
		}
		return notification.withParams(params);
	}

	private Flux<Object> subscribed(ClientResponse response) {
		int status = response.statusCode().value();
		MediaType contentType = response.headers().contentType().orElse(null);
		if (contentType != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType)
				&& response.statusCode().is2xxSuccessful()) {
			return response.bodyToFlux(SSE_EVENTS)
				.filter((event) -> event.data() != null && !event.data().isBlank())
				.map((event) -> (Object) this.codec.readTargetMessage(event.data()));
		}
		return withinIdleLimit(response.bodyToMono(String.class)).defaultIfEmpty("").flatMapMany((text) -> {
			if (status == 404 || methodNotFound(text)) {
				// A target without change notifications does not know the method.
				return Flux.empty();
			}
			return Flux.error(TargetException.httpStatus(this.endpoint.name(), status,
					"refused subscriptions/listen with HTTP " + status + ": " + abbreviate(text.strip())));
		});
	}

	private boolean methodNotFound(String text) {
		try {
			return this.codec.readTargetMessage(text)
				.node()
				.path("error")
				.path("code")
				.asInt(0) == JsonRpcError.METHOD_NOT_FOUND;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private Flux<Object> listened(ClientResponse response, UpstreamSession session) {
		int status = response.statusCode().value();
		MediaType contentType = response.headers().contentType().orElse(null);
		if (status == 404 && session.sessionId() != null) {
			return response.releaseBody()
				.thenMany(Flux.error(new UpstreamSessionExpiredException(this.endpoint.name())));
		}
		if (status == 405) {
			return response.releaseBody().thenMany(Flux.empty());
		}
		if (!response.statusCode().is2xxSuccessful() || contentType == null
				|| !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType)) {
			return response.releaseBody()
				.thenMany(Flux.error(TargetException.httpStatus(this.endpoint.name(), status,
						"answered its standalone stream with HTTP " + status + " " + contentType)));
		}
		return response.bodyToFlux(SSE_EVENTS)
			.filter((event) -> event.data() != null && !event.data().isBlank())
			.map((event) -> (Object) this.codec.readTargetMessage(event.data()));
	}

	/** Ends a session with the target (DELETE); a target that refuses is only logged. */
	public Mono<Void> terminate(UpstreamSession session) {
		if (session.stateless()) {
			return Mono.empty();
		}
		return prepare(HttpMethod.DELETE, session, null)
			.flatMap((prepared) -> this.webClient.delete()
				.uri(this.endpoint.uri())
				.headers((http) -> http.addAll(prepared.headers()))
				.exchangeToMono(ClientResponse::releaseBody))
			.timeout(this.endpoint.firstByteTimeout())
			.onErrorResume((ex) -> {
				logger.debug("Could not end the session with target '{}': {}", this.endpoint.name(), ex.toString());
				return Mono.empty();
			});
	}

	private Flux<Frame> exchange(JsonRpcMessage message, UpstreamSession session) {
		if (session != null && session.modern() && !message.isRequest()) {
			// 2026-07-28 has no client notification over HTTP (a closed stream cancels),
			// and its servers ask nothing that a response would answer.
			return Flux.just(new Frame.Head(null, false));
		}
		return prepare(HttpMethod.POST, session, message)
			.flatMapMany((prepared) -> this.webClient.post()
				.uri(this.endpoint.uri())
				.headers((http) -> http.addAll(prepared.headers()))
				.bodyValue(prepared.body())
				.exchangeToFlux((response) -> frames(response, session, message)))
			// The head must come within the first-byte limit; after it, only silence
			// is limited, by frames().
			.timeout(Mono.delay(this.endpoint.firstByteTimeout()), (frame) -> Mono.never())
			.onErrorMap(this::translate);
	}

	/**
	 * The {@code Mcp-Param-*} headers the routed call carries for a 2026-07-28 target.
	 */
	private static Mono<Map<String, String>> paramHeaders() {
		return Mono.deferContextual(
				(context) -> Mono.just(context.getOrDefault(ParamHeaders.CONTEXT_KEY, Map.<String, String>of())));
	}

	private Mono<Map<String, String>> callerHeaders() {
		return this.callerHeaders.forTarget(this.endpoint.name()).defaultIfEmpty(Map.of());
	}

	/**
	 * The headers and body of one request (no body for a DELETE), the credentials'
	 * headers last: they are computed from the request as it will be sent (SigV4 signs
	 * the body, with the call's trace context in its {@code _meta}, and the other
	 * headers), and they override a configured header of the same name.
	 */
	private Mono<Prepared> prepare(HttpMethod method, UpstreamSession session, JsonRpcMessage message) {
		return callerHeaders().zipWith(paramHeaders()).flatMap((both) -> {
			Map<String, String> caller = both.getT1();
			JsonRpcMessage revised = (message != null) ? forRevision(message, session) : null;
			byte[] body = (revised != null) ? this.codec.write(TraceContextMeta.carry(revised, caller)) : new byte[0];
			HttpHeaders headers = new HttpHeaders();
			applyHeaders(headers, session, caller);
			if (revised != null && session != null && session.modern() && revised.isRequest()) {
				ModernRequests.headers(headers, revised);
				both.getT2().forEach(headers::set);
			}
			if (message != null) {
				headers.setContentType(MediaType.APPLICATION_JSON);
				headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM));
			}
			else if (method == HttpMethod.GET) {
				headers.setAccept(List.of(MediaType.TEXT_EVENT_STREAM));
			}
			OutgoingRequest request = new OutgoingRequest(method.name(), this.endpoint.uri(),
					headers.toSingleValueMap(), body);
			return this.endpoint.credentials().headers(request).map((credentials) -> {
				credentials.forEach(headers::set);
				return new Prepared(headers, body);
			});
		});
	}

	private record Prepared(HttpHeaders headers, byte[] body) {
	}

	private static JsonRpcMessage forRevision(JsonRpcMessage message, UpstreamSession session) {
		if (!message.isRequest()) {
			return message;
		}
		if (session != null && session.modern()) {
			return ModernRequests.forModern(message, session.protocolVersion(), null);
		}
		return ModernRequests.forLegacy(message);
	}

	private void applyHeaders(HttpHeaders headers, UpstreamSession session, Map<String, String> caller) {
		this.endpoint.headers().forEach(headers::set);
		// The caller's context is Atrium's to assert: it overrides a configured header.
		caller.forEach(headers::set);
		if (session != null) {
			headers.set(McpHeaders.PROTOCOL_VERSION, session.protocolVersion());
			if (session.sessionId() != null) {
				headers.set(McpHeaders.SESSION_ID, session.sessionId());
			}
		}
	}

	private Flux<Frame> frames(ClientResponse response, UpstreamSession session, JsonRpcMessage sent) {
		int status = response.statusCode().value();
		MediaType contentType = response.headers().contentType().orElse(null);
		boolean streamed = contentType != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType);
		Frame head = new Frame.Head(response.headers().asHttpHeaders().getFirst(McpHeaders.SESSION_ID), streamed);
		if (status == 404 && session != null && session.sessionId() != null) {
			return response.releaseBody()
				.thenMany(Flux.error(new UpstreamSessionExpiredException(this.endpoint.name())));
		}
		if (!response.statusCode().is2xxSuccessful()) {
			return withinIdleLimit(response.bodyToMono(String.class)).defaultIfEmpty("")
				.flatMapMany((text) -> errorFrames(head, status, text));
		}
		if (status == 202 || contentType == null) {
			return response.releaseBody().thenMany(Flux.just(head));
		}
		if (streamed) {
			// Comments count as activity: a target may keep a quiet stream open with
			// them.
			TargetStreamCursor cursor = new TargetStreamCursor(sent);
			return Flux.concat(Mono.just(head), resumable(response.bodyToFlux(SSE_EVENTS), session, cursor));
		}
		if (MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
			Mono<Frame> message = withinIdleLimit(response.bodyToMono(String.class))
				.map((text) -> new Frame.Message(this.codec.readTargetMessage(text)));
			return Flux.concat(Mono.just(head), message);
		}
		return response.releaseBody()
			.thenMany(Flux.error(TargetException.unavailable(this.endpoint.name(),
					"answered with content type " + contentType + " instead of JSON or SSE")));
	}

	/**
	 * The messages of a target's SSE answer; when the target ends the stream before the
	 * answer, after giving an event id, the stream is resumed with {@code GET} and
	 * {@code Last-Event-ID} once the target's {@code retry} has passed (MCP 2025-11-25,
	 * transports, "Resumability and Redelivery"; SEP-1699).
	 */
	private Flux<Frame> resumable(Flux<ServerSentEvent<String>> events, UpstreamSession session,
			TargetStreamCursor cursor) {
		Flux<Frame> messages = withinIdleLimit(events).doOnNext(cursor::saw)
			.filter((event) -> event.data() != null && !event.data().isBlank())
			.map((event) -> this.codec.readTargetMessage(event.data()))
			.doOnNext(cursor::saw)
			.map(Frame.Message::new);
		return messages.concatWith(Flux.defer(() -> {
			if (session == null || !cursor.resumable()) {
				return Flux.empty();
			}
			cursor.reconnecting();
			logger.debug("Target '{}' ended a stream before its answer; resuming after event {} in {}",
					this.endpoint.name(), cursor.lastEventId(), cursor.retry());
			return Mono.delay(cursor.retry()).thenMany(resume(session, cursor));
		}));
	}

	private Flux<Frame> resume(UpstreamSession session, TargetStreamCursor cursor) {
		return prepare(HttpMethod.GET, session, null).flatMapMany((prepared) -> this.webClient.get()
			.uri(this.endpoint.uri())
			.headers((http) -> http.addAll(prepared.headers()))
			.header(McpHeaders.LAST_EVENT_ID, cursor.lastEventId())
			.exchangeToFlux((response) -> {
				MediaType contentType = response.headers().contentType().orElse(null);
				if (!response.statusCode().is2xxSuccessful() || contentType == null
						|| !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(contentType)) {
					return response.releaseBody()
						.thenMany(Flux.error(TargetException.unavailable(this.endpoint.name(),
								"ended a stream before answering and refused to resume it (HTTP "
										+ response.statusCode().value() + ")")));
				}
				return resumable(response.bodyToFlux(SSE_EVENTS), session, cursor);
			}));
	}

	/**
	 * A JSON-RPC error in an error status is the target's answer; anything else is a
	 * failure.
	 */
	private Flux<Frame> errorFrames(Frame head, int status, String text) {
		try {
			JsonRpcMessage message = this.codec.readTargetMessage(text);
			if (message.node().has("error")) {
				return Flux.just(head, new Frame.Message(message));
			}
		}
		catch (RuntimeException ex) {
			// Not JSON: reported below with the status.
		}
		String snippet = text.isBlank() ? "" : ": " + abbreviate(text.strip());
		return Flux
			.error(TargetException.httpStatus(this.endpoint.name(), status, "answered HTTP " + status + snippet));
	}

	private <T> Flux<T> withinIdleLimit(Flux<T> body) {
		return body.timeout(this.endpoint.idleTimeout()).onErrorMap(TimeoutException.class, this::wentSilent);
	}

	private <T> Mono<T> withinIdleLimit(Mono<T> body) {
		return body.timeout(this.endpoint.idleTimeout()).onErrorMap(TimeoutException.class, this::wentSilent);
	}

	private TargetException wentSilent(TimeoutException ex) {
		return TargetException.wentSilent(this.endpoint.name(), this.endpoint.idleTimeout());
	}

	private Mono<UpstreamInitialization> toInitialization(List<Frame> frames) {
		String sessionId = frames.stream()
			.filter(Frame.Head.class::isInstance)
			.findFirst()
			.map((frame) -> ((Frame.Head) frame).sessionId())
			.orElse(null);
		JsonRpcMessage response = frames.stream()
			.filter(Frame.Message.class::isInstance)
			.map((frame) -> ((Frame.Message) frame).message())
			.filter((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE)
			.findFirst()
			.orElse(null);
		if (response == null) {
			return Mono.error(TargetException.unavailable(this.endpoint.name(), "did not answer initialize"));
		}
		if (!(response.node().get("result") instanceof ObjectNode result)) {
			return Mono.error(TargetException.unavailable(this.endpoint.name(),
					"refused initialize: " + response.node().path("error").path("message").asString("no result")));
		}
		String version = result.path("protocolVersion").asString(null);
		if (!ProtocolVersion.isSupported(version)) {
			return Mono.error(TargetException.unavailable(this.endpoint.name(),
					"negotiated protocol version " + version + ", which Atrium does not speak"));
		}
		return Mono.just(new UpstreamInitialization(new UpstreamSession(sessionId, version), result));
	}

	private Throwable translate(Throwable ex) {
		if (ex instanceof JsonRpcException || ex instanceof UpstreamSessionExpiredException) {
			return ex;
		}
		if (ex instanceof OutboundCredentialsException credentials) {
			return TargetException.noCredentials(this.endpoint.name(),
					"was not called: no outbound credentials: " + credentials.getMessage());
		}
		if (ex instanceof TimeoutException) {
			return TargetException.noFirstByte(this.endpoint.name(), this.endpoint.firstByteTimeout());
		}
		if (ex instanceof JacksonException) {
			return TargetException.unavailable(this.endpoint.name(), "sent a message that is not valid JSON");
		}
		if (ex instanceof WebClientRequestException request) {
			Throwable cause = (request.getCause() != null) ? request.getCause() : request;
			return TargetException.unreachable(this.endpoint.name(), "cannot be reached: " + cause.getMessage());
		}
		return TargetException.broken(this.endpoint.name(), "failed: " + ex.getMessage());
	}

	private static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
	}

	/** Whether the target speaks a sessionless revision, as far as known. */
	private enum Era {

		UNKNOWN, MODERN, LEGACY

	}

	/** What the transport yields: the response head first, then the messages. */
	private sealed interface Frame {

		record Head(String sessionId, boolean streamed) implements Frame {
		}

		record Message(JsonRpcMessage message) implements Frame {
		}

	}

}
