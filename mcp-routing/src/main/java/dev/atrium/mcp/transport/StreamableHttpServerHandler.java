package dev.atrium.mcp.transport;

import java.util.function.BiFunction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.atrium.mcp.client.UpstreamSessionExpiredException;
import dev.atrium.mcp.federation.McpReply;
import dev.atrium.mcp.federation.SessionHandle;
import dev.atrium.mcp.federation.VirtualServer;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpHeaders;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.ProtocolVersion;
import dev.atrium.mcp.protocol.SessionlessRequests;
import dev.atrium.mcp.session.ClientSession;
import dev.atrium.mcp.session.SessionCodec;
import dev.atrium.mcp.session.TerminatedSessions;
import dev.atrium.mcp.stream.ResumableStreams;
import dev.atrium.mcp.stream.StreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The server side of the MCP streamable HTTP transport (2025-11-25, also serving
 * 2025-06-18 and 2025-03-26 clients) for one virtual server: POST carries messages,
 * DELETE ends a session, GET opens the stream of what targets send outside calls or
 * resumes a broken stream. Every refusal is an HTTP status with a JSON-RPC error body.
 */
public final class StreamableHttpServerHandler {

	private static final Logger logger = LoggerFactory.getLogger(StreamableHttpServerHandler.class);

	private final VirtualServer server;

	private final SessionCodec sessions;

	private final TerminatedSessions terminated;

	private final JsonRpcCodec codec;

	private final long maxBodyBytes;

	private final McpAccess access;

	private final McpExchangeObserver observer;

	private final StreamSlots streams;

	private final ResumableStreams resumable;

	private final ResumptionHandOff handOff;

	public StreamableHttpServerHandler(VirtualServer server, SessionCodec sessions, TerminatedSessions terminated,
			JsonRpcCodec codec, long maxBodyBytes, McpAccess access, McpExchangeObserver observer, StreamSlots streams,
			ResumableStreams resumable) {
		this(server, sessions, terminated, codec, maxBodyBytes, access, observer, streams, resumable, null);
	}

	/**
	 * @param handOff hands a resumption of a stream another replica holds to that
	 * replica; {@code null} when streams are resumed only where they were opened
	 */
	public StreamableHttpServerHandler(VirtualServer server, SessionCodec sessions, TerminatedSessions terminated,
			JsonRpcCodec codec, long maxBodyBytes, McpAccess access, McpExchangeObserver observer, StreamSlots streams,
			ResumableStreams resumable, ResumptionHandOff handOff) {
		this.server = server;
		this.sessions = sessions;
		this.terminated = terminated;
		this.codec = codec;
		this.maxBodyBytes = maxBodyBytes;
		this.access = access;
		this.observer = observer;
		this.streams = streams;
		this.resumable = resumable;
		this.handOff = handOff;
	}

	public VirtualServer server() {
		return this.server;
	}

	public Mono<ServerResponse> post(ServerRequest request) {
		ExchangeRecord record = new ExchangeRecord(this.server.name(), this.observer, request.exchange());
		return handlePost(request, record).doOnNext((response) -> {
			// A relayed stream reports when it ends; everything else is complete here.
			if (!MediaType.TEXT_EVENT_STREAM.equals(response.headers().getContentType())) {
				record.finish(response.statusCode().value());
			}
		})
			// Every POST is reported once, also when it fails or its client leaves early:
			// the audit trail counts on it.
			.doOnError((ex) -> record.finish(HttpStatus.INTERNAL_SERVER_ERROR.value()))
			.doOnCancel(() -> record.cancelled(499));
	}

	private Mono<ServerResponse> handlePost(ServerRequest request, ExchangeRecord record) {
		List<MediaType> accepted;
		try {
			accepted = request.headers().accept();
		}
		catch (InvalidMediaTypeException ex) {
			return refuseUnread(HttpStatus.BAD_REQUEST, JsonRpcError.invalidRequest("Invalid Accept header"));
		}
		if (!AcceptHeader.acceptsJsonAndEventStream(accepted)) {
			return refuseUnread(HttpStatus.NOT_ACCEPTABLE, JsonRpcError
				.invalidRequest("Not Acceptable: the client must accept both application/json and text/event-stream"));
		}
		Optional<MediaType> contentType;
		try {
			contentType = request.headers().contentType();
		}
		catch (InvalidMediaTypeException ex) {
			contentType = Optional.empty();
		}
		if (contentType.isEmpty() || !MediaType.APPLICATION_JSON.equalsTypeAndSubtype(contentType.get())) {
			return refuseUnread(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					JsonRpcError.invalidRequest("Unsupported Media Type: the body must be application/json"));
		}
		Mono<ServerResponse> versionRefusal = checkProtocolVersion(request);
		if (versionRefusal != null) {
			return versionRefusal;
		}
		long declaredLength = request.headers().contentLength().orElse(-1);
		if (declaredLength > this.maxBodyBytes) {
			return tooLarge();
		}
		return readBody(request).flatMap((body) -> {
			JsonRpcMessage message = this.codec.readClientMessage(body);
			record.message(message);
			return this.access.check(request, message)
				.flatMap((denial) -> deny(denial, message))
				.switchIfEmpty(Mono.defer(() -> dispatch(request, message, accepted, record)));
		})
			.onErrorResume(DataBufferLimitException.class, (ex) -> tooLarge())
			.onErrorResume(JsonRpcException.class, (ex) -> refuse(HttpStatus.BAD_REQUEST, ex.error()));
	}

	private Mono<ServerResponse> dispatch(ServerRequest request, JsonRpcMessage message, List<MediaType> accepted,
			ExchangeRecord record) {
		if (SessionlessRequests.isSessionless(request.headers().firstHeader(McpHeaders.PROTOCOL_VERSION), message)) {
			return sessionless(request, message, accepted, record);
		}
		if (message.isRequest() && McpMethods.INITIALIZE.equals(message.method())) {
			return this.access.caller(request).flatMap((caller) -> initialize(message, caller));
		}
		boolean clientTakesStreams = AcceptHeader.acceptsEventStream(accepted);
		return withSession(request, (session, caller) -> {
			Mono<ServerResponse> answer = this.server.handle(session, message, caller.view())
				.flatMap((reply) -> render(reply, message, clientTakesStreams, record, session.id()));
			return limited(request, session.session().caller(), message, clientTakesStreams, answer);
		});
	}

	/**
	 * A 2026-07-28 request: no session, its headers checked against its body, and a
	 * method this server does not answer is not found (404, as that revision asks).
	 */
	private Mono<ServerResponse> sessionless(ServerRequest request, JsonRpcMessage message, List<MediaType> accepted,
			ExchangeRecord record) {
		Optional<SessionlessRequests.Refusal> refusal = SessionlessRequests
			.check(request.headers()::firstHeader, message)
			.or(() -> (message.isRequest() && !this.server.answersSessionless(message.method()))
					? Optional.of(new SessionlessRequests.Refusal(HttpStatus.NOT_FOUND.value(),
							JsonRpcCodec.error(message.id(), JsonRpcError.methodNotFound(message.method()))))
					: Optional.empty());
		if (refusal.isPresent()) {
			return refused(refusal.get());
		}
		boolean clientTakesStreams = AcceptHeader.acceptsEventStream(accepted);
		return this.access.caller(request).flatMap((caller) -> {
			Optional<SessionlessRequests.Refusal> params = this.server.checkParamHeaders(message,
					request.headers()::firstHeader, caller.view());
			if (params.isPresent()) {
				return refused(params.get());
			}
			Mono<ServerResponse> answer = this.server.handleSessionless(message, caller)
				.flatMap((reply) -> render(reply, message, clientTakesStreams, record, null));
			return limited(request, caller.id(), message, clientTakesStreams, answer);
		});
	}

	private Mono<ServerResponse> refused(SessionlessRequests.Refusal refusal) {
		return ServerResponse.status(refusal.status())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(this.codec.write(refusal.error()));
	}

	/**
	 * Whether the target streams is known only once it answered, too late to refuse
	 * without the call having run: a slot is taken for every request that a target may
	 * answer with a stream, and given back as soon as it did not.
	 */
	private Mono<ServerResponse> limited(ServerRequest request, String caller, JsonRpcMessage message,
			boolean clientTakesStreams, Mono<ServerResponse> answer) {
		if (!clientTakesStreams || !this.server.routesToTarget(message)) {
			return answer;
		}
		String client = StreamSlots.client(caller, request.remoteAddress().orElse(null));
		return this.streams.tryAcquire(client)
			.map((slot) -> holding(slot, answer))
			.orElseGet(() -> tooManyStreams(message));
	}

	/**
	 * Hands the slot to the response, which gives it back once written; if no response
	 * comes (an error, the client gone first), it is given back here.
	 */
	private static Mono<ServerResponse> holding(StreamSlots.Slot slot, Mono<ServerResponse> answer) {
		AtomicBoolean handedOver = new AtomicBoolean();
		return answer.<ServerResponse>map((response) -> {
			handedOver.set(true);
			return new SlotHoldingResponse(response, slot);
		}).doFinally((signal) -> {
			if (!handedOver.get()) {
				slot.release();
			}
		});
	}

	private Mono<ServerResponse> tooManyStreams(JsonRpcMessage message) {
		JsonNode id = (message != null) ? message.id() : null;
		return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(StreamSlots.RETRY_AFTER.toSeconds()))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(this.codec.write(JsonRpcCodec.error(id, this.streams.refusal())));
	}

	private Mono<ServerResponse> deny(McpAccess.Denial denial, JsonRpcMessage message) {
		JsonRpcMessage error = JsonRpcCodec.error(message.isRequest() ? message.id() : null, denial.error());
		return ServerResponse.status(denial.status())
			.headers((headers) -> denial.headers().forEach(headers::set))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(this.codec.write(error));
	}

	/**
	 * {@code GET}: with {@code Last-Event-ID}, the rest of a stream whose connection
	 * broke; without, the standalone stream of what the targets send outside calls.
	 */
	public Mono<ServerResponse> get(ServerRequest request) {
		List<MediaType> accepted;
		try {
			accepted = request.headers().accept();
		}
		catch (InvalidMediaTypeException ex) {
			return refuse(HttpStatus.BAD_REQUEST, JsonRpcError.invalidRequest("Invalid Accept header"));
		}
		if (!AcceptHeader.acceptsEventStream(accepted)) {
			return refuse(HttpStatus.NOT_ACCEPTABLE,
					JsonRpcError.invalidRequest("Not Acceptable: the client must accept text/event-stream"));
		}
		Mono<ServerResponse> versionRefusal = checkProtocolVersion(request);
		if (versionRefusal != null) {
			return versionRefusal;
		}
		String lastEventId = request.headers().firstHeader(McpHeaders.LAST_EVENT_ID);
		return withSession(request, (session, caller) -> {
			String client = StreamSlots.client(session.session().caller(), request.remoteAddress().orElse(null));
			if (lastEventId != null) {
				return resume(request, session, lastEventId, client);
			}
			return this.streams.tryAcquire(client)
				.map((slot) -> holding(slot, listen(session, caller)))
				.orElseGet(() -> tooManyStreams(null));
		});
	}

	public Mono<ServerResponse> delete(ServerRequest request) {
		Mono<ServerResponse> versionRefusal = checkProtocolVersion(request);
		if (versionRefusal != null) {
			return versionRefusal;
		}
		return withSession(request,
				(session, caller) -> this.terminated.terminate(session.id())
					.then(Mono.fromRunnable(() -> this.resumable.endSession(session.id())))
					.then(this.server.terminate(session))
					.then(ServerResponse.noContent().build()));
	}

	private Mono<ServerResponse> initialize(JsonRpcMessage message, McpCaller caller) {
		return this.server.initialize(message, caller).flatMap((initialized) -> {
			String sessionId = this.sessions.seal(initialized.session());
			logger.debug("Scenario '{}': session opened with {} of {} targets", this.server.name(),
					initialized.session().upstreams().size(), this.server.spec().targets().size());
			return ServerResponse.ok()
				.header(McpHeaders.SESSION_ID, sessionId)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.codec.write(initialized.response()));
		});
	}

	private Mono<ServerResponse> withSession(ServerRequest request,
			BiFunction<SessionHandle, McpCaller, Mono<ServerResponse>> action) {
		String id = request.headers().firstHeader(McpHeaders.SESSION_ID);
		if (id == null || id.isBlank()) {
			return refuse(HttpStatus.BAD_REQUEST,
					JsonRpcError.invalidRequest("Bad Request: Mcp-Session-Id header is required"));
		}
		Optional<ClientSession> session = this.terminated.endedHere(id) ? Optional.empty()
				: this.sessions.open(id, this.server.name());
		if (session.isEmpty()) {
			return sessionNotFound();
		}
		return this.access.caller(request)
			// A session belongs to the caller that opened it: another caller holding its
			// id is told it does not exist.
			.flatMap((caller) -> Objects.equals(caller.id(), session.get().caller())
					? action.apply(new SessionHandle(id, session.get()), caller) : sessionNotFound())
			.onErrorResume(UpstreamSessionExpiredException.class, (ex) -> {
				logger.info("Scenario '{}': {}; the client has to initialize again", this.server.name(),
						ex.getMessage());
				return sessionNotFound();
			});
	}

	private Mono<ServerResponse> render(McpReply reply, JsonRpcMessage request, boolean clientTakesStreams,
			ExchangeRecord record, String sessionId) {
		if (reply instanceof McpReply.Relay relay) {
			record.target(relay.target());
		}
		return switch (reply) {
			case McpReply.Accepted accepted -> ServerResponse.accepted().build();
			case McpReply.Answer answer -> {
				record.answer(answer.message());
				yield json(answer.message());
			}
			case McpReply.Relay relay when relay.streamed() && clientTakesStreams ->
				stream(relay, request, record, sessionId);
			case McpReply.Relay relay -> relay.messages()
				.filter((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE)
				.next()
				.switchIfEmpty(Mono.error(() -> new JsonRpcException(JsonRpcError.INTERNAL_ERROR,
						"The target closed the stream without answering")))
				.onErrorResume(JsonRpcException.class, (ex) -> Mono.just(JsonRpcCodec.error(request.id(), ex.error())))
				.doOnNext(record::answer)
				.flatMap(this::json);
		};
	}

	/**
	 * Relays a target's stream as a resumable stream of the client session: the call goes
	 * on while the client reconnects (see {@link ResumableStreams}), so it is reported
	 * when the target ends it, not when the client's connection does. A sessionless
	 * client ({@code sessionId} null) gets the stream as it comes.
	 */
	private Mono<ServerResponse> stream(McpReply.Relay relay, JsonRpcMessage request, ExchangeRecord record,
			String sessionId) {
		Flux<String> messages = relay.messages()
			.onErrorResume(JsonRpcException.class, (ex) -> Flux.just(JsonRpcCodec.error(request.id(), ex.error())))
			.onErrorResume(UpstreamSessionExpiredException.class,
					(ex) -> Flux.just(JsonRpcCodec.error(request.id(),
							new JsonRpcError(JsonRpcError.TARGET_UNAVAILABLE, ex.getMessage()))))
			.doOnNext(record::answer)
			.doOnComplete(() -> record.finish(200))
			.doOnCancel(() -> record.cancelled(200))
			.map((message) -> this.codec.writeString(message.node()));
		if (sessionId == null) {
			// 2026-07-28 has no resumption: the stream is the response, and ends with it.
			return ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("Cache-Control", "no-cache")
				.body(BodyInserters.fromServerSentEvents(
						messages.map((data) -> ServerSentEvent.<String>builder().event("message").data(data).build())));
		}
		// The request's context goes with the call, which no longer runs in the response.
		return Mono
			.deferContextual((context) -> eventStream(this.resumable.open(sessionId, messages.contextWrite(context))));
	}

	/**
	 * The rest of a stream whose connection broke, after the event the client names: from
	 * this replica, or relayed from the one that holds the stream.
	 */
	private Mono<ServerResponse> resume(ServerRequest request, SessionHandle session, String lastEventId,
			String client) {
		return switch (this.resumable.resume(session.id(), lastEventId)) {
			case ResumableStreams.Resumption.Refused refused ->
				refuse(HttpStatus.BAD_REQUEST, JsonRpcError.invalidRequest(refused.reason()));
			case ResumableStreams.Resumption.Resumed resumed -> this.streams.tryAcquire(client)
				.map((slot) -> holding(slot, eventStream(resumed.events())))
				.orElseGet(() -> tooManyStreams(null));
			case ResumableStreams.Resumption.HeldElsewhere elsewhere when this.handOff == null ->
				notKeptHere(elsewhere, "was opened on another replica");
			case ResumableStreams.Resumption.HeldElsewhere elsewhere -> this.streams.tryAcquire(client)
				.map((slot) -> holding(slot, handOff(request, elsewhere)))
				.orElseGet(() -> tooManyStreams(null));
		};
	}

	private Mono<ServerResponse> handOff(ServerRequest request, ResumableStreams.Resumption.HeldElsewhere elsewhere) {
		return this.handOff.handOff(request, elsewhere.holder()).flatMap((outcome) -> switch (outcome) {
			case ResumptionHandOff.Outcome.Relayed relayed -> ServerResponse.status(relayed.status())
				.headers((headers) -> headers.addAll(relayed.headers()))
				.body(BodyInserters.fromDataBuffers(relayed.body()));
			case ResumptionHandOff.Outcome.Refused refused -> notKeptHere(elsewhere, refused.reason());
		});
	}

	/** The same refusal as for a stream no replica keeps, with the reason. */
	private Mono<ServerResponse> notKeptHere(ResumableStreams.Resumption.HeldElsewhere elsewhere, String reason) {
		return refuse(HttpStatus.BAD_REQUEST, JsonRpcError
			.invalidRequest("Bad Request: no stream to resume for Last-Event-ID " + elsewhere.id() + ": it " + reason));
	}

	/**
	 * The standalone stream: what the session's targets send outside calls, open until
	 * the client leaves (and does not resume it) or ends the session, even when no target
	 * has anything to send.
	 */
	private Mono<ServerResponse> listen(SessionHandle session, McpCaller caller) {
		Flux<String> messages = Flux.merge(this.server.listen(session, caller.view()), Flux.never())
			.map((message) -> this.codec.writeString(message.node()));
		return Mono.deferContextual(
				(context) -> eventStream(this.resumable.open(session.id(), messages.contextWrite(context))));
	}

	/**
	 * Every event with its id; the priming event (empty data) also with the {@code retry}
	 * the client is to wait before it reconnects (SEP-1699).
	 */
	private Mono<ServerResponse> eventStream(Flux<StreamEvent> events) {
		Flux<ServerSentEvent<String>> rendered = events.map((event) -> event.priming()
				? ServerSentEvent.<String>builder()
					.id(event.id().encode())
					.retry(this.resumable.settings().retry())
					.data("")
					.build()
				: ServerSentEvent.<String>builder()
					.id(event.id().encode())
					.event("message")
					.data(event.data())
					.build());
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_EVENT_STREAM)
			.header("Cache-Control", "no-cache")
			.body(BodyInserters.fromServerSentEvents(rendered));
	}

	private Mono<byte[]> readBody(ServerRequest request) {
		return DataBufferUtils.join(request.exchange().getRequest().getBody(), Math.toIntExact(this.maxBodyBytes))
			.map((buffer) -> {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				DataBufferUtils.release(buffer);
				return bytes;
			})
			.defaultIfEmpty(new byte[0]);
	}

	private Mono<ServerResponse> checkProtocolVersion(ServerRequest request) {
		String version = request.headers().firstHeader(McpHeaders.PROTOCOL_VERSION);
		if (version != null && !ProtocolVersion.isKnown(version)) {
			// The 2026-07-28 error, which lists the revisions to retry with; for older
			// clients, still a 400 that names the version.
			return ServerResponse.status(HttpStatus.BAD_REQUEST)
				.header(HttpHeaders.CONNECTION, "close")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.codec.write(SessionlessRequests.unsupportedVersion(null, version)));
		}
		return null;
	}

	private Mono<ServerResponse> sessionNotFound() {
		return refuse(HttpStatus.NOT_FOUND, JsonRpcError
			.invalidRequest("Session not found: it ended or expired; send initialize to start a new one"));
	}

	private Mono<ServerResponse> tooLarge() {
		return refuseUnread(HttpStatus.CONTENT_TOO_LARGE,
				JsonRpcError.invalidRequest("Content Too Large: the body exceeds " + this.maxBodyBytes + " bytes"));
	}

	private Mono<ServerResponse> json(JsonRpcMessage message) {
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(this.codec.write(message));
	}

	private Mono<ServerResponse> refuse(HttpStatus status, JsonRpcError error) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(errorBody(error));
	}

	/**
	 * A refusal sent before the body was read: the rest of the body may still be on its
	 * way, so the connection is closed rather than reused for another request.
	 */
	private Mono<ServerResponse> refuseUnread(HttpStatus status, JsonRpcError error) {
		return ServerResponse.status(status)
			.header(HttpHeaders.CONNECTION, "close")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(errorBody(error));
	}

	private byte[] errorBody(JsonRpcError error) {
		return this.codec.write(JsonRpcCodec.error(null, error));
	}

}
