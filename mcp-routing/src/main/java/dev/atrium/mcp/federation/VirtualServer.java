package dev.atrium.mcp.federation;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.atrium.mcp.catalog.TargetCatalogs;
import dev.atrium.mcp.catalog.TargetHealth;
import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.TargetCallGuard;
import dev.atrium.mcp.client.TargetException;
import dev.atrium.mcp.client.UpstreamReply;
import dev.atrium.mcp.client.UpstreamSession;
import dev.atrium.mcp.client.UpstreamSessionExpiredException;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.ParamHeaders;
import dev.atrium.mcp.protocol.ProtocolVersion;
import dev.atrium.mcp.protocol.RequestMeta;
import dev.atrium.mcp.protocol.SessionlessRequests;
import dev.atrium.mcp.region.RegionFailover;
import dev.atrium.mcp.region.TargetLocation;
import dev.atrium.mcp.region.TargetLocations;
import dev.atrium.mcp.session.ClientSession;
import dev.atrium.mcp.session.LocalTerminatedSessions;
import dev.atrium.mcp.session.TerminatedSessions;
import dev.atrium.mcp.stream.EventId;
import dev.atrium.mcp.transport.McpCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * One scenario's virtual MCP server: answers lifecycle and list requests from the merged
 * catalog, and routes calls, reads and gets to the target that owns the name.
 */
public final class VirtualServer {

	private static final Logger logger = LoggerFactory.getLogger(VirtualServer.class);

	/** How many targets are initialised at once when a client initialises. */
	private static final int INITIALIZE_CONCURRENCY = 16;

	/** Where a routed request's context keeps the request as the client sent it. */
	private static final String CLIENT_REQUEST = VirtualServer.class.getName() + ".clientRequest";

	/** How many distinct catalog views are kept per catalog generation. */
	private static final int MAX_VIEWS = 1024;

	private final ScenarioSpec spec;

	private final TargetCatalogs catalogs;

	private final ObjectNode serverInfo;

	private final Duration initializeTimeout;

	private final Clock clock;

	private final TargetCallGuard guard;

	private final RegionFailover failover;

	private final TerminatedSessions terminated;

	private final LazyUpstreamSessions lazySessions = new LazyUpstreamSessions(10_000);

	private final StandaloneStreamRelay standaloneStreams;

	private final SharedUpstreamStreams sharedStreams = new SharedUpstreamStreams();

	private final HeldCalls heldCalls;

	private final InputRequestRelay inputRequests;

	private final UpstreamLogLevels logLevels = new UpstreamLogLevels(10_000);

	private volatile Snapshot snapshot;

	public VirtualServer(ScenarioSpec spec, TargetCatalogs catalogs, ObjectNode serverInfo, Duration initializeTimeout,
			Clock clock) {
		this(spec, catalogs, serverInfo, initializeTimeout, clock, TargetCallGuard.NONE,
				RegionFailover.byPriority(clock), new LocalTerminatedSessions(1, initializeTimeout, clock),
				InputWait.local());
	}

	/**
	 * A virtual server whose calls to targets pass a guard.
	 * @param guard what every routed call passes: breakers, limits, retries
	 * @param failover which of a regional target's endpoints a call goes to
	 * @param terminated the sessions clients ended: asked before a session a target
	 * forgot is opened again
	 * @param inputWait how calls that need the client's input across revisions wait for
	 * it
	 */
	public VirtualServer(ScenarioSpec spec, TargetCatalogs catalogs, ObjectNode serverInfo, Duration initializeTimeout,
			Clock clock, TargetCallGuard guard, RegionFailover failover, TerminatedSessions terminated,
			InputWait inputWait) {
		this.spec = spec;
		this.catalogs = catalogs;
		this.serverInfo = serverInfo;
		this.initializeTimeout = initializeTimeout;
		this.clock = clock;
		this.guard = guard;
		this.failover = failover;
		this.terminated = terminated;
		this.standaloneStreams = new StandaloneStreamRelay(spec.name(), catalogs, this::catalog);
		// One replica's id: a state sealed here names the replica that holds its call.
		this.heldCalls = new HeldCalls(new RequestStates(inputWait.box(), spec.name(), EventId.newStream(), clock),
				inputWait.window(), inputWait.capacity(), Schedulers.parallel(), clock);
		this.inputRequests = new InputRequestRelay(inputWait.window());
	}

	public String name() {
		return this.spec.name();
	}

	public ScenarioSpec spec() {
		return this.spec;
	}

	/**
	 * Answers {@code initialize}: negotiates the revision, opens a session with every
	 * target that answers in time, and describes the merged server.
	 */
	public Mono<Initialized> initialize(JsonRpcMessage request, McpCaller caller) {
		String version = ProtocolVersion.negotiate(request.stringParam("protocolVersion"));
		ObjectNode upstreamParams = request.params().deepCopy();
		upstreamParams.put("protocolVersion", version);
		// Before the first refresh ends there is no catalog to describe the server with.
		Mono<Void> catalogsChecked = this.catalogs.checkedOnce().timeout(this.initializeTimeout, Mono.empty());
		// A caller gets no session with a target it may not reach.
		return catalogsChecked
			.thenMany(Flux.fromIterable(this.spec.targets())
				.filter((target) -> caller.view().admitsTarget(target.name())))
			.flatMap((target) -> openUpstream(target.name(), upstreamParams, caller.view()), INITIALIZE_CONCURRENCY)
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.map((opened) -> {
				Map<String, UpstreamSession> ordered = new LinkedHashMap<>();
				this.spec.targets().forEach((target) -> {
					if (opened.containsKey(target.name())) {
						ordered.put(target.name(), opened.get(target.name()));
					}
				});
				ClientSession session = new ClientSession(this.spec.name(), this.clock.instant(), version, caller.id(),
						ordered,
						(request.params().get("capabilities") instanceof ObjectNode declared) ? declared : null);
				return new Initialized(JsonRpcCodec.result(request.id(), initializeResult(version, caller.view())),
						session);
			});
	}

	/**
	 * Handles every message of an initialised session.
	 * @param view what of the catalog the caller may see and reach
	 */
	public Mono<McpReply> handle(SessionHandle session, JsonRpcMessage message, CatalogView view) {
		if (!message.isRequest()) {
			return fromClient(session, message, view).thenReturn(new McpReply.Accepted());
		}
		return Mono.defer(() -> dispatch(session, message, view))
			.onErrorResume(JsonRpcException.class,
					(ex) -> Mono.just(new McpReply.Answer(JsonRpcCodec.error(message.id(), ex.error()))));
	}

	/**
	 * Handles a 2026-07-28 message, which comes without a session, its headers already
	 * checked against its body. Targets that need a session are reached through one this
	 * replica opens and keeps for the caller.
	 */
	public Mono<McpReply> handleSessionless(JsonRpcMessage message, McpCaller caller) {
		if (!message.isRequest()) {
			// 2026-07-28 has no client notification over HTTP: taken and dropped.
			return Mono.just(new McpReply.Accepted());
		}
		return Mono
			.defer(() -> RequestStates.carriesOne(message) ? resumeHeld(message, caller)
					: dispatchSessionless(Upstreams.ofCaller(caller), message, caller.view()))
			.onErrorResume(JsonRpcException.class,
					(ex) -> Mono.just(new McpReply.Answer(JsonRpcCodec.error(message.id(), ex.error()))))
			.map((reply) -> SessionlessReplies.completed(reply, message, this.serverInfo));
	}

	/**
	 * Why a sessionless {@code tools/call} is refused for its {@code Mcp-Param-*}
	 * headers, checked against the called tool's schema, if it is.
	 */
	public Optional<SessionlessRequests.Refusal> checkParamHeaders(JsonRpcMessage message,
			Function<String, String> headers, CatalogView view) {
		return calledTool(message, catalog(view))
			.flatMap((tool) -> ParamHeaders.check(headers, tool.get("inputSchema"), message));
	}

	private static Optional<ObjectNode> calledTool(JsonRpcMessage message, FederatedCatalog catalog) {
		if (!McpMethods.TOOLS_CALL.equals(message.method())) {
			return Optional.empty();
		}
		String name = message.stringParam("name");
		return catalog.tools().stream().filter((tool) -> tool.path("name").asString("").equals(name)).findFirst();
	}

	/** Whether a sessionless client's method is one this server answers. */
	public boolean answersSessionless(String method) {
		return SessionlessReplies.METHODS.contains(method);
	}

	private Mono<McpReply> dispatchSessionless(Upstreams session, JsonRpcMessage request, CatalogView view) {
		FederatedCatalog catalog = catalog(view);
		String method = request.method();
		return switch (method) {
			case McpMethods.SERVER_DISCOVER -> answer(request, discoverResult(view));
			case McpMethods.TOOLS_LIST -> list(request, catalog, "tools");
			case McpMethods.PROMPTS_LIST -> list(request, catalog, "prompts");
			case McpMethods.RESOURCES_LIST -> list(request, catalog, "resources");
			case McpMethods.RESOURCES_TEMPLATES_LIST -> list(request, catalog, "resourceTemplates");
			case McpMethods.TOOLS_CALL -> routeByName(session, request, view, catalog.toolNames(), "tool");
			case McpMethods.PROMPTS_GET -> routeByName(session, request, view, catalog.promptNames(), "prompt");
			case McpMethods.RESOURCES_READ -> routeByUri(session, request, view);
			case McpMethods.COMPLETION_COMPLETE -> routeCompletion(session, request, view, catalog);
			case McpMethods.SUBSCRIPTIONS_LISTEN -> listenSessionless(session, request, view);
			default -> Mono.error(new JsonRpcException(JsonRpcError.methodNotFound(method)));
		};
	}

	/**
	 * {@code server/discover}: the revisions Atrium speaks, the merged capabilities
	 * without the parts 2026-07-28 removed (logging levels, tasks), and who answers.
	 */
	private ObjectNode discoverResult(CatalogView view) {
		FederatedCatalog catalog = catalog(view);
		ObjectNode result = JsonRpcCodec.object();
		ProtocolVersion.ALL.forEach(result.putArray("supportedVersions")::add);
		ObjectNode capabilities = catalog.capabilities().deepCopy();
		capabilities.remove("logging");
		// 2026-07-28 moved tasks to an extension (SEP-2663) of other shapes, which Atrium
		// does not serve: the 2025-11-25 ones are not offered.
		capabilities.remove("tasks");
		result.set("capabilities", capabilities);
		if (catalog.instructions() != null) {
			result.put("instructions", catalog.instructions());
		}
		return result;
	}

	/**
	 * Whether the message is a request this server hands to a target, whose answer may
	 * then be a stream; everything else Atrium answers itself.
	 */
	public boolean routesToTarget(JsonRpcMessage message) {
		return message.isRequest() && switch (message.method()) {
			case McpMethods.TOOLS_CALL, McpMethods.PROMPTS_GET, McpMethods.RESOURCES_READ,
					McpMethods.RESOURCES_SUBSCRIBE, McpMethods.RESOURCES_UNSUBSCRIBE, McpMethods.COMPLETION_COMPLETE ->
				true;
			// Answered with a stream of the targets' own, which holds a slot as long.
			case McpMethods.SUBSCRIPTIONS_LISTEN -> true;
			default -> false;
		};
	}

	/**
	 * What the targets of a session send outside calls: every target's standalone stream
	 * ({@code GET}, or {@code subscriptions/listen} for a 2026-07-28 target) that the
	 * caller may see, merged; a target that offers none (405) or whose stream fails is
	 * left out. A session this replica opens later for the client, on first use or in
	 * place of one a target forgot, is listened to as soon as it opens.
	 */
	public Flux<JsonRpcMessage> listen(SessionHandle session, CatalogView view) {
		return listened(Upstreams.of(session), upstreams(session, this.lazySessions.of(session.id())), view,
				(target) -> List.of());
	}

	/**
	 * A 2026-07-28 client's {@code subscriptions/listen}: acknowledged with what the
	 * virtual server honours, then fed by every target the caller may see, through the
	 * sessions kept for the caller (a target of an older revision is sent
	 * {@code resources/subscribe} there for the resources it owns) or the target's own
	 * {@code subscriptions/listen}.
	 */
	private Mono<McpReply> listenSessionless(Upstreams session, JsonRpcMessage request, CatalogView view) {
		SubscriptionFilter asked = SubscriptionFilter.of(request);
		// What is honoured depends on the targets' capabilities, unknown before the first
		// read of their catalogs.
		return this.catalogs.checkedOnce()
			.timeout(this.initializeTimeout, Mono.empty())
			.then(Mono.fromSupplier(() -> listenSessionless(session, request, asked, view)));
	}

	private McpReply listenSessionless(Upstreams session, JsonRpcMessage request, SubscriptionFilter asked,
			CatalogView view) {
		FederatedCatalog catalog = catalog(view);
		SubscriptionFilter honoured = asked.honouredBy(catalog);
		Map<String, List<String>> targetUris = new LinkedHashMap<>();
		honoured.resourceSubscriptions()
			.forEach((uri) -> catalog.resourceTable()
				.resolve(uri)
				.ifPresent((owned) -> targetUris.computeIfAbsent(owned.target(), (target) -> new ArrayList<>())
					.add(owned.name())));
		Flux<UpstreamSessionOf> opened = Flux.fromIterable(this.spec.targets())
			.map(ScenarioSpec.TargetRef::name)
			.filter(view::admitsTarget)
			.flatMap((target) -> Flux
				.fromIterable(this.failover.order(this.catalogs.locations(target),
						(region) -> view.admitsRegion(target, region)))
				.take(1)
				.flatMap((location) -> upstream(session, location)
					.map((upstream) -> new UpstreamSessionOf(location, upstream))
					.onErrorResume((ex) -> {
						logger.debug("Scenario '{}': no session with target '{}' to listen to: {}", this.spec.name(),
								location.describe(), ex.getMessage());
						return Mono.empty();
					})));
		Flux<JsonRpcMessage> notifications = listened(session, opened, view,
				(target) -> targetUris.getOrDefault(target, List.of()));
		return new McpReply.Relay(null, true, SubscriptionStream.of(request.id(), honoured, notifications));
	}

	/**
	 * The streams of the given upstream sessions and of those opened later for the same
	 * client, each session once, relayed as the client is to see them.
	 * @param resourceUris the target's own URIs of the resources to hear about, by target
	 */
	private Flux<JsonRpcMessage> listened(Upstreams session, Flux<UpstreamSessionOf> known, CatalogView view,
			Function<String, List<String>> resourceUris) {
		Flux<UpstreamSessionOf> later = this.lazySessions.openedLater(session.key())
			.flatMap((opened) -> Mono.justOrEmpty(located(targetOf(opened.endpoint()), opened.session())));
		return Flux.defer(() -> {
			// A target that refuses every stream of a session must not have sessions
			// opened for it in a loop: one renewal per endpoint and client stream.
			Set<String> renewed = ConcurrentHashMap.newKeySet();
			// Later ones first: a session that opens while the known ones are read is
			// not missed, and one seen both ways is listened to once.
			return Flux.merge(later, known)
				.filter((upstream) -> view.admitsTarget(upstream.location().target()))
				.distinct((upstream) -> upstream.location().describe() + " " + upstream.session().sessionId())
				.flatMap((upstream) -> this.standaloneStreams.relay(upstream.location(),
						upstreamStream(session, upstream, resourceUris.apply(upstream.location().target()), renewed),
						view));
		});
	}

	/**
	 * One upstream session's stream. A session with a target of an older revision has one
	 * standalone stream, shared by the client's streams, after the resources are
	 * subscribed to in it; a session the target forgot is renewed (when the client's
	 * session allows it), and the new one joins the client's streams as it opens.
	 */
	private Flux<JsonRpcMessage> upstreamStream(Upstreams session, UpstreamSessionOf upstream,
			List<String> resourceUris, Set<String> renewed) {
		TargetLocation location = upstream.location();
		if (upstream.session().modern()) {
			return location.client().listen(upstream.session(), resourceUris);
		}
		Flux<JsonRpcMessage> stream = this.sharedStreams.of(
				session.key() + " " + location.describe() + " " + upstream.session().sessionId(),
				() -> location.client().listen(upstream.session()));
		return Flux.fromIterable(resourceUris)
			.concatMap((uri) -> subscribeResource(upstream, uri))
			.thenMany(stream)
			.onErrorResume(UpstreamSessionExpiredException.class,
					(ex) -> renewed.add(location.describe())
							? renew(session, location, upstream.session(), ex).then(Mono.<JsonRpcMessage>empty())
								.onErrorResume((failed) -> Mono.empty())
							: Mono.empty());
	}

	private Mono<Void> subscribeResource(UpstreamSessionOf upstream, String uri) {
		ObjectNode params = JsonRpcCodec.object();
		params.put("uri", uri);
		JsonRpcMessage request = JsonRpcCodec.request("atrium-subscribe-" + UUID.randomUUID(),
				McpMethods.RESOURCES_SUBSCRIBE, params);
		return upstream.location()
			.client()
			.request(request, upstream.session())
			.then()
			.timeout(this.initializeTimeout)
			.onErrorResume((ex) -> {
				logger.debug("Scenario '{}': target '{}' did not take a subscription to {}: {}", this.spec.name(),
						upstream.location().describe(), uri, ex.getMessage());
				return Mono.empty();
			});
	}

	/** Ends the session with every target (best effort). */
	public Mono<Void> terminate(SessionHandle session) {
		return upstreams(session, this.lazySessions.remove(session.id()))
			.flatMap((upstream) -> upstream.location().client().terminate(upstream.session()))
			.then();
	}

	/**
	 * Every upstream session of a client session: those sealed in its id, and those this
	 * replica opened later, which stand for the sealed ones they replaced.
	 */
	private Flux<UpstreamSessionOf> upstreams(SessionHandle session, Map<String, Mono<UpstreamSession>> lazy) {
		Flux<UpstreamSessionOf> sealed = Flux.fromIterable(session.session().upstreams().entrySet())
			// A session opened in place of a forgotten one stands for it.
			.filter((entry) -> !lazy.containsKey(TargetCall.endpoint(entry.getKey(), entry.getValue().region())))
			.flatMap((entry) -> Mono.justOrEmpty(located(entry.getKey(), entry.getValue())));
		Flux<UpstreamSessionOf> opened = Flux.fromIterable(lazy.entrySet())
			.flatMap((entry) -> entry.getValue()
				.flatMap((upstream) -> Mono.justOrEmpty(located(targetOf(entry.getKey()), upstream)))
				.onErrorResume((ex) -> Mono.empty()));
		return Flux.concat(sealed, opened);
	}

	private Optional<UpstreamSessionOf> located(String target, UpstreamSession upstream) {
		return Optional.ofNullable(this.catalogs.locations(target))
			.flatMap((locations) -> locations.in(upstream.region()))
			.map((location) -> new UpstreamSessionOf(location, upstream));
	}

	/**
	 * What a client sends that is not a request: a response to a target's request goes to
	 * that target, in the region that asked; a cancellation, or a change of the client's
	 * roots, goes to every target of the session (the client's request ids are unique in
	 * its session, so a target that has no such request ignores it). The rest is taken
	 * and dropped.
	 */
	private Mono<Void> fromClient(SessionHandle session, JsonRpcMessage message, CatalogView view) {
		if (message.kind() == JsonRpcMessage.Kind.RESPONSE && this.inputRequests.answered(message)) {
			return Mono.empty();
		}
		if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
			Optional<ServerRequestIds.Origin> origin = ServerRequestIds.decode(message.id())
				.filter((candidate) -> view.admitsTarget(candidate.target()));
			if (origin.isEmpty()) {
				logger.debug("Scenario '{}': a response to no request of a target, id {}", this.spec.name(),
						message.id());
				return Mono.empty();
			}
			ObjectNode node = TaskIds.fromClient(message).node().deepCopy();
			node.set("id", origin.get().id());
			JsonRpcMessage response = new JsonRpcMessage(node);
			return upstreams(session, this.lazySessions.of(session.id()))
				.filter((upstream) -> upstream.location().target().equals(origin.get().target())
						&& Objects.equals(upstream.location().region(), origin.get().region()))
				.next()
				.flatMap((upstream) -> quietly(upstream,
						upstream.location().client().send(response, upstream.session())));
		}
		if (McpMethods.CANCELLED.equals(message.method()) || McpMethods.ROOTS_LIST_CHANGED.equals(message.method())) {
			return toEveryTarget(session, message);
		}
		return Mono.empty();
	}

	/**
	 * Sends a message to every target the client has a session with, each answer waited
	 * for within the initialize timeout and then dropped: a target that cannot take it
	 * does not fail the others.
	 */
	private Mono<Void> toEveryTarget(SessionHandle session, JsonRpcMessage message) {
		return upstreams(session, this.lazySessions.of(session.id()))
			.flatMap((upstream) -> quietly(upstream, upstream.location().client().send(message, upstream.session())))
			.then();
	}

	private Mono<Void> quietly(UpstreamSessionOf upstream, Flux<JsonRpcMessage> sent) {
		return sent.then().timeout(this.initializeTimeout).onErrorResume((ex) -> {
			logger.debug("Scenario '{}': target '{}' did not take a message: {}", this.spec.name(),
					upstream.location().describe(), ex.getMessage());
			return Mono.empty();
		});
	}

	/**
	 * The target's answer as the client sees it: its requests get ids that say where they
	 * came from; and if the client leaves before the answer, the target is told to stop
	 * ({@code notifications/cancelled}), since a closed connection alone does not cancel
	 * an MCP request.
	 */
	private UpstreamReply toClient(UpstreamReply reply, TargetLocation location, UpstreamSession upstream,
			JsonRpcMessage request, ContextView context, Upstreams session, JsonNode clientId) {
		boolean sessionless = session.sessionless();
		if (sessionless && !upstream.modern() && HeldCall.METHODS.contains(request.method())) {
			return holdable(reply, location, upstream, request, context, session.caller());
		}
		AtomicBoolean answered = new AtomicBoolean();
		Flux<JsonRpcMessage> relayed = sessionless ? SessionlessReplies.relayed(reply.messages(), request,
				(asked) -> refuseForSessionless(location, upstream, asked, context)) : reply.messages();
		Flux<JsonRpcMessage> messages = relayed
			.map((message) -> TaskIds.toClient(message, request.method(), location.target(), location.region()))
			.map((message) -> {
				if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
					answered.set(true);
					return withId(message, clientId);
				}
				if (!message.isRequest()) {
					return message;
				}
				ObjectNode node = message.node().deepCopy();
				node.put("id", ServerRequestIds.encode(location.target(), location.region(), message.id()));
				return new JsonRpcMessage(node);
			})
			.doOnCancel(() -> {
				if (!answered.get()) {
					cancelUpstream(location, upstream, request, "The client left before the answer", context);
				}
			});
		return new UpstreamReply(reply.streamed(), messages);
	}

	/**
	 * The log level a 2026-07-28 client asks for in its request's {@code _meta}, set on
	 * an older target's session with {@code logging/setLevel} before the call when it
	 * changed. A target that refuses it (no logging) is only logged: the call goes on.
	 */
	private Mono<Void> leveled(Upstreams session, TargetLocation location, UpstreamSession upstream,
			JsonRpcMessage forwarded) {
		JsonNode level = RequestMeta.of(forwarded).get(RequestMeta.LOG_LEVEL);
		if (!session.sessionless() || upstream.modern() || upstream.sessionId() == null || level == null
				|| !level.isString()) {
			return Mono.empty();
		}
		String key = TargetCall.endpoint(location.target(), location.region()) + " " + upstream.sessionId();
		if (!this.logLevels.changes(key, level.asString())) {
			return Mono.empty();
		}
		ObjectNode params = JsonRpcCodec.object();
		params.put("level", level.asString());
		return location.client()
			.request(JsonRpcCodec.request("atrium-log-level", McpMethods.LOGGING_SET_LEVEL, params), upstream)
			.timeout(this.initializeTimeout)
			.doOnNext((answer) -> {
				if (answer.node().has("error")) {
					logger.debug("Scenario '{}': target '{}' refused logging/setLevel: {}", this.spec.name(),
							location.describe(), answer.node().path("error").path("message").asString(""));
				}
			})
			.then()
			.onErrorResume((ex) -> {
				this.logLevels.forget(key, level.asString());
				logger.debug("Scenario '{}': target '{}' did not take logging/setLevel: {}", this.spec.name(),
						location.describe(), ex.getMessage());
				return Mono.empty();
			});
	}

	/**
	 * The request with an id of Atrium's own when it goes to an older target's session
	 * for a sessionless caller: 2026-07-28 clients have no session in which their ids are
	 * unique, and all of a caller's requests share that upstream session, so two of them
	 * may come with one id (a held call and a new one, say). The response gets the
	 * client's id back.
	 */
	private static JsonRpcMessage ownId(Upstreams session, UpstreamSession upstream, JsonRpcMessage forwarded) {
		if (!session.sessionless() || upstream.modern()) {
			return forwarded;
		}
		return withId(forwarded, StringNode.valueOf("atrium-" + EventId.newStream()));
	}

	private static JsonRpcMessage withId(JsonRpcMessage message, JsonNode id) {
		if (id == null || id.equals(message.id())) {
			return message;
		}
		ObjectNode node = message.node().deepCopy();
		node.set("id", id);
		return new JsonRpcMessage(node);
	}

	/**
	 * A request for a 2026-07-28 target on behalf of a client with a session: the
	 * capabilities the client declared at {@code initialize} go in {@code _meta}, since
	 * the target has no session to learn them from and may ask only what the client can
	 * answer.
	 */
	private static JsonRpcMessage declared(Upstreams session, UpstreamSession upstream, JsonRpcMessage forwarded) {
		if (session.sessionless() || !upstream.modern() || session.capabilities() == null) {
			return forwarded;
		}
		ObjectNode params = forwarded.params().deepCopy();
		ObjectNode meta = (params.get("_meta") instanceof ObjectNode existing) ? existing : params.putObject("_meta");
		meta.set(RequestMeta.CLIENT_CAPABILITIES, session.capabilities().deepCopy());
		return forwarded.withParams(params);
	}

	/**
	 * The target's answer as the client sees it; when a 2026-07-28 target may ask an
	 * older client for input, its answer is read first if it came as JSON, since asking
	 * needs a stream.
	 */
	private Mono<UpstreamReply> bridged(SessionReply used, TargetLocation location, JsonRpcMessage forwarded,
			ContextView context, Upstreams session, JsonNode clientId) {
		UpstreamReply reply = toClient(used.reply(), location, used.session(), forwarded, context, session, clientId);
		if (session.sessionless() || !used.session().modern() || !HeldCall.METHODS.contains(forwarded.method())) {
			return Mono.just(reply);
		}
		Function<JsonRpcMessage, Mono<UpstreamReply>> retry = (
				again) -> call(location, used.session(), again).map(SessionReply::reply).contextWrite(context);
		if (reply.streamed()) {
			return Mono.just(new UpstreamReply(true,
					this.inputRequests.relay(reply.messages(), forwarded, session.capabilities(), location, retry)));
		}
		return reply.messages().collectList().map((messages) -> {
			boolean asks = messages.stream().anyMatch(InputRequestRelay::asksInput);
			Flux<JsonRpcMessage> relayed = Flux.fromIterable(messages);
			return asks
					? new UpstreamReply(true,
							this.inputRequests.relay(relayed, forwarded, session.capabilities(), location, retry))
					: new UpstreamReply(false, relayed);
		});
	}

	/**
	 * An older target's answer to a 2026-07-28 client's call that may ask for input: a
	 * request of the target ends the client's reply with an {@code InputRequiredResult}
	 * while the call is held open for the client's retry ({@link HeldCall}).
	 */
	private UpstreamReply holdable(UpstreamReply reply, TargetLocation location, UpstreamSession upstream,
			JsonRpcMessage request, ContextView context, String caller) {
		HeldCall call = new HeldCall(caller, heldTarget(location, upstream, request, context), this.heldCalls);
		JsonRpcMessage asClientSent = context.getOrDefault(CLIENT_REQUEST, request);
		Flux<JsonRpcMessage> messages = reply.messages()
			.map((message) -> TaskIds.toClient(message, request.method(), location.target(), location.region()))
			.contextWrite(context);
		return new UpstreamReply(reply.streamed(),
				SessionlessReplies.relayed(call.start(messages, asClientSent), request, (asked) -> {
				}));
	}

	private HeldCall.Target heldTarget(TargetLocation location, UpstreamSession upstream, JsonRpcMessage request,
			ContextView context) {
		return new HeldCall.Target() {

			@Override
			public String name() {
				return location.target();
			}

			@Override
			public Mono<Void> answer(JsonRpcMessage response) {
				return location.client()
					.send(response, upstream)
					.then()
					.timeout(VirtualServer.this.initializeTimeout)
					.contextWrite(context);
			}

			@Override
			public void refuse(JsonRpcMessage asked, String why) {
				refuseAsked(location, upstream, asked, why, context);
			}

			@Override
			public void cancel(String reason) {
				cancelUpstream(location, upstream, request, reason, context);
			}

		};
	}

	/**
	 * A 2026-07-28 client's retry with the {@code requestState} of a call held here: its
	 * answers go to the target as responses to the target's requests, then the call's
	 * next round is relayed. A state that is forged, expired, another caller's or another
	 * request's, held by another replica, or names a call no longer waiting is refused
	 * ({@code -32602}, the reason in {@code error.data.reason}); nothing reaches a
	 * target.
	 */
	private Mono<McpReply> resumeHeld(JsonRpcMessage retry, McpCaller caller) {
		HeldCalls.Taken taken = HeldCall.METHODS.contains(retry.method()) ? this.heldCalls.take(retry, caller.id())
				: new HeldCalls.Taken.Refused("other-request", "requestState belongs to another request");
		if (taken instanceof HeldCalls.Taken.Refused refused) {
			JsonRpcMessage error = JsonRpcCodec.error(retry.id(),
					JsonRpcError.invalidParams("Invalid requestState: " + refused.message()));
			((ObjectNode) error.node().get("error")).putObject("data").put("reason", refused.reason());
			return Mono.just(new McpReply.Answer(error));
		}
		HeldCall call = ((HeldCalls.Taken.Call) taken).call();
		Flux<JsonRpcMessage> round = Flux.fromIterable(call.answers(retry.params().get("inputResponses")))
			.concatMap((response) -> call.target().answer(response))
			.doOnError((ex) -> call.abandon("Atrium could not deliver the client's input"))
			.onErrorMap((ex) -> new JsonRpcException(JsonRpcError.TARGET_UNAVAILABLE,
					"The target did not take the client's input: " + ex.getMessage()))
			.thenMany(Flux.defer(() -> call.round(retry)));
		return Mono
			.just(new McpReply.Relay(call.target().name(), true, SessionlessReplies.relayed(round, retry, (asked) -> {
			})));
	}

	/**
	 * A target's request to a sessionless client that cannot be asked (not one of the
	 * calls that may answer with an {@code InputRequiredResult}, or a capability the
	 * client did not declare) is answered with an error at once, so that its call does
	 * not wait.
	 */
	private void refuseForSessionless(TargetLocation location, UpstreamSession upstream, JsonRpcMessage asked,
			ContextView context) {
		refuseAsked(location, upstream, asked,
				"The client speaks MCP 2026-07-28 and cannot be asked " + asked.method() + " during this request",
				context);
	}

	private void refuseAsked(TargetLocation location, UpstreamSession upstream, JsonRpcMessage asked, String why,
			ContextView context) {
		JsonRpcMessage refusal = JsonRpcCodec.error(asked.id(), new JsonRpcError(JsonRpcError.METHOD_NOT_FOUND, why));
		location.client()
			.send(refusal, upstream)
			.then()
			.timeout(this.initializeTimeout)
			.contextWrite(context)
			.subscribe(null, (ex) -> logger.debug("Scenario '{}': target '{}' was not told its {} is refused: {}",
					this.spec.name(), location.describe(), asked.method(), ex.getMessage()));
	}

	private void cancelUpstream(TargetLocation location, UpstreamSession upstream, JsonRpcMessage request,
			String reason, ContextView context) {
		ObjectNode params = JsonRpcCodec.object();
		params.set("requestId", request.id());
		params.put("reason", reason);
		JsonRpcMessage cancelled = JsonRpcCodec.notification(McpMethods.CANCELLED, params);
		location.client()
			.send(cancelled, upstream)
			.then()
			.timeout(this.initializeTimeout)
			// The caller's context, for the headers the target is sent on its behalf.
			.contextWrite(context)
			.subscribe(null, (ex) -> logger.debug("Scenario '{}': target '{}' was not told of a cancelled {}: {}",
					this.spec.name(), location.describe(), request.method(), ex.getMessage()));
	}

	/**
	 * {@code completion/complete} goes to the target of the prompt or the resource
	 * template it completes, with the target's own name or URI.
	 */
	private Mono<McpReply> routeCompletion(Upstreams session, JsonRpcMessage request, CatalogView view,
			FederatedCatalog catalog) {
		JsonNode ref = request.params().path("ref");
		String type = ref.path("type").asString("");
		Optional<QualifiedName> target = switch (type) {
			case "ref/prompt" -> catalog.promptNames().resolve(ref.path("name").asString(""));
			case "ref/resource" -> catalog.resourceTable().resolve(ref.path("uri").asString(""));
			default -> Optional.empty();
		};
		if (target.isEmpty()) {
			String named = type.equals("ref/resource") ? ref.path("uri").asString("") : ref.path("name").asString("");
			return Mono
				.error(new JsonRpcException(JsonRpcError.invalidParams("Unknown completion reference: " + named)));
		}
		ObjectNode params = request.params().deepCopy();
		((ObjectNode) params.get("ref")).put(type.equals("ref/prompt") ? "name" : "uri", target.get().name());
		return route(session, request.withParams(params), target.get(), view);
	}

	/**
	 * {@code tasks/get}, {@code tasks/result} and {@code tasks/cancel} go to the target
	 * and region the task id names, with the target's own id.
	 */
	private Mono<McpReply> routeTask(Upstreams session, JsonRpcMessage request, CatalogView view) {
		JsonNode taskId = request.params().get("taskId");
		Optional<ServerRequestIds.Origin> origin = TaskIds.decode(taskId)
			.filter((candidate) -> this.spec.targets()
				.stream()
				.anyMatch((target) -> target.name().equals(candidate.target())))
			.filter((candidate) -> view.admitsTarget(candidate.target()));
		Optional<TargetLocation> location = origin
			.flatMap((candidate) -> Optional.ofNullable(this.catalogs.locations(candidate.target())))
			.flatMap((locations) -> locations.in(origin.get().region()));
		if (location.isEmpty()) {
			// The spec's answer for a task the receiver does not know.
			return Mono.error(new JsonRpcException(
					JsonRpcError.invalidParams("Unknown task: " + ((taskId != null) ? taskId.toString() : "none"))));
		}
		ObjectNode params = request.params().deepCopy();
		params.set("taskId", origin.get().id());
		boolean idempotent = !McpMethods.TASKS_CANCEL.equals(request.method());
		return attempt(session, request.withParams(params), idempotent, List.of(location.get()), 0)
			.map((reply) -> new McpReply.Relay(origin.get().target(), reply.streamed(), reply.messages()));
	}

	/**
	 * {@code tasks/list} over every target of the view that lists tasks, one page of
	 * each; the next cursor holds the cursors of the targets that have more. A target
	 * that fails is left out of the page.
	 */
	private Mono<McpReply> listTasks(Upstreams session, JsonRpcMessage request, CatalogView view,
			FederatedCatalog catalog) {
		Optional<Map<String, String>> cursors = TaskListCursor.decode(request.params().get("cursor"),
				catalog.targetsListingTasks());
		if (cursors.isEmpty()) {
			return Mono.error(new JsonRpcException(JsonRpcError.invalidParams("Invalid cursor")));
		}
		return Flux.fromIterable(cursors.get().entrySet())
			.flatMapSequential((entry) -> listTasksOf(session, request, view, entry.getKey(), entry.getValue()))
			.collectList()
			.flatMap((pages) -> {
				ObjectNode result = JsonRpcCodec.object();
				var tasks = result.putArray("tasks");
				Map<String, String> next = new LinkedHashMap<>();
				pages.forEach((page) -> {
					page.result().path("tasks").forEach(tasks::add);
					String cursor = page.result().path("nextCursor").asString(null);
					if (cursor != null) {
						next.put(page.target(), cursor);
					}
				});
				if (!next.isEmpty()) {
					result.put("nextCursor", TaskListCursor.encode(next));
				}
				return answer(request, result);
			});
	}

	private Mono<TaskPage> listTasksOf(Upstreams session, JsonRpcMessage request, CatalogView view, String target,
			String cursor) {
		ObjectNode params = JsonRpcCodec.object();
		if (cursor != null) {
			params.put("cursor", cursor);
		}
		return route(session, request.withParams(params), new QualifiedName(target, ""), view)
			.flatMap((reply) -> (reply instanceof McpReply.Relay relay)
					? relay.messages().filter((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE).next()
					: Mono.empty())
			.filter((response) -> response.node().get("result") instanceof ObjectNode)
			.map((response) -> new TaskPage(target, (ObjectNode) response.node().get("result")))
			.onErrorResume((ex) -> {
				logger.warn("Scenario '{}': target '{}' did not list its tasks: {}", this.spec.name(), target,
						ex.getMessage());
				return Mono.empty();
			});
	}

	/** The whole merged catalog, rebuilt when a target's catalog changed. */
	public FederatedCatalog catalog() {
		return catalog(CatalogView.ALL);
	}

	/**
	 * The merged catalog as a caller with this view sees it, built once per view and
	 * catalog generation.
	 */
	public FederatedCatalog catalog(CatalogView view) {
		long generation = this.catalogs.generation();
		Snapshot current = this.snapshot;
		if (current == null || current.generation() != generation) {
			current = new Snapshot(generation, new ConcurrentHashMap<>());
			this.snapshot = current;
		}
		Map<String, FederatedCatalog> views = current.views();
		FederatedCatalog catalog = views.get(view.key());
		if (catalog == null) {
			if (views.size() >= MAX_VIEWS) {
				// Views are few (tenants times permission sets); a flood of distinct ones
				// costs rebuilding, never memory.
				views.clear();
			}
			Map<String, TargetHealth> health = new LinkedHashMap<>();
			this.spec.targets().forEach((target) -> health.put(target.name(), this.catalogs.health(target.name())));
			catalog = FederatedCatalog.build(this.spec, health, view);
			views.put(view.key(), catalog);
		}
		return catalog;
	}

	private Mono<McpReply> dispatch(SessionHandle handle, JsonRpcMessage request, CatalogView view) {
		FederatedCatalog catalog = catalog(view);
		String method = request.method();
		Upstreams session = Upstreams.of(handle);
		return switch (method) {
			case McpMethods.PING -> answer(request, JsonRpcCodec.object());
			case McpMethods.INITIALIZE -> Mono.error(new JsonRpcException(
					JsonRpcError.invalidRequest("Invalid Request: the session is already initialized")));
			case McpMethods.TOOLS_LIST -> list(request, catalog, "tools");
			case McpMethods.PROMPTS_LIST -> list(request, catalog, "prompts");
			case McpMethods.RESOURCES_LIST -> list(request, catalog, "resources");
			case McpMethods.RESOURCES_TEMPLATES_LIST -> list(request, catalog, "resourceTemplates");
			case McpMethods.TOOLS_CALL -> routeByName(session, request, view, catalog.toolNames(), "tool");
			case McpMethods.PROMPTS_GET -> routeByName(session, request, view, catalog.promptNames(), "prompt");
			case McpMethods.RESOURCES_READ, McpMethods.RESOURCES_SUBSCRIBE, McpMethods.RESOURCES_UNSUBSCRIBE ->
				routeByUri(session, request, view);
			case McpMethods.COMPLETION_COMPLETE -> routeCompletion(session, request, view, catalog);
			case McpMethods.LOGGING_SET_LEVEL ->
				toEveryTarget(handle, request).then(answer(request, JsonRpcCodec.object()));
			case McpMethods.TASKS_GET, McpMethods.TASKS_RESULT, McpMethods.TASKS_CANCEL ->
				routeTask(session, request, view);
			case McpMethods.TASKS_LIST -> listTasks(session, request, view, catalog);
			default -> Mono.error(new JsonRpcException(JsonRpcError.methodNotFound(method)));
		};
	}

	private Mono<McpReply> list(JsonRpcMessage request, FederatedCatalog catalog, String list) {
		JsonNode cursor = request.params().get("cursor");
		if (cursor != null && !cursor.isNull() && !cursor.isString()) {
			return Mono.error(new JsonRpcException(JsonRpcError.invalidParams("Invalid cursor: must be a string")));
		}
		String value = (cursor != null && cursor.isString()) ? cursor.asString() : null;
		return answer(request, catalog.page(list, value, this.spec.pageSize()));
	}

	private Mono<McpReply> routeByName(Upstreams session, JsonRpcMessage request, CatalogView view, NameTable names,
			String kind) {
		String name = request.stringParam("name");
		if (name == null) {
			return Mono.error(new JsonRpcException(JsonRpcError.invalidParams("Missing " + kind + " name")));
		}
		return names.resolve(name)
			.map((qualified) -> route(session, request, qualified, "name", view))
			.orElseGet(() -> Mono.error(new JsonRpcException(
					JsonRpcError.invalidParams("Unknown " + kind + ": " + name + unavailableHint(catalog(view))))));
	}

	private Mono<McpReply> routeByUri(Upstreams session, JsonRpcMessage request, CatalogView view) {
		FederatedCatalog catalog = catalog(view);
		String uri = request.stringParam("uri");
		if (uri == null) {
			return Mono.error(new JsonRpcException(JsonRpcError.invalidParams("Missing resource uri")));
		}
		return catalog.resourceTable()
			.resolve(uri)
			.map((qualified) -> route(session, request, qualified, "uri", view))
			.orElseGet(() -> Mono.error(new JsonRpcException(JsonRpcError.RESOURCE_NOT_FOUND,
					"Resource not found: " + uri + unavailableHint(catalog))));
	}

	private static String unavailableHint(FederatedCatalog catalog) {
		Map<String, String> failures = catalog.failures();
		return failures.isEmpty() ? "" : " (unavailable targets: " + String.join(", ", failures.keySet()) + ")";
	}

	private Mono<McpReply> route(Upstreams session, JsonRpcMessage request, QualifiedName target, String member,
			CatalogView view) {
		ObjectNode params = request.params().deepCopy();
		params.put(member, target.name());
		// The headers a 2026-07-28 target expects for the tool's marked arguments.
		Map<String, String> paramHeaders = calledTool(request, catalog(view))
			.map((tool) -> ParamHeaders.mirrored(tool.get("inputSchema"), request.params().path("arguments")))
			.orElse(Map.of());
		return route(session, request.withParams(params), target, view).contextWrite((context) -> {
			// The request as the client named it, for a state that binds the client's
			// names.
			Context withRequest = context.put(CLIENT_REQUEST, request);
			return paramHeaders.isEmpty() ? withRequest : withRequest.put(ParamHeaders.CONTEXT_KEY, paramHeaders);
		});
	}

	/**
	 * Sends a request, its names already the target's own, to the target, through the
	 * first of its locations that takes it.
	 */
	private Mono<McpReply> route(Upstreams session, JsonRpcMessage forwarded, QualifiedName target, CatalogView view) {
		TargetLocations locations = this.catalogs.locations(target.target());
		boolean idempotent = idempotent(forwarded.method(), target);
		List<TargetLocation> order = this.failover.order(locations,
				(region) -> view.admitsRegion(target.target(), region));
		if (order.isEmpty()) {
			// A view admits a regional target only with a region its caller may use.
			return Mono.error(new TargetException(target.target(), JsonRpcError.TARGET_UNAVAILABLE,
					"has no endpoint in a region this caller's data may go to", TargetException.Fault.NOT_CALLED));
		}
		return attempt(session, forwarded, idempotent, order, 0)
			.map((reply) -> new McpReply.Relay(target.target(), reply.streamed(), reply.messages()));
	}

	/**
	 * Calls one location, through its guard, and on failure the next one, while the call
	 * is known not to have reached the failed one, or is idempotent and worth another
	 * attempt. Opening a lazy upstream session is part of the call: a breaker that is
	 * open spares the target that too.
	 */
	private Mono<UpstreamReply> attempt(Upstreams session, JsonRpcMessage forwarded, boolean idempotent,
			List<TargetLocation> order, int index) {
		TargetLocation location = order.get(index);
		TargetCall call = new TargetCall(location.target(), forwarded.method(), idempotent, location.region());
		AtomicBoolean sent = new AtomicBoolean();
		Mono<UpstreamReply> attempt = Mono.deferContextual(
				(context) -> this.guard.guard(call, () -> upstream(session, location).flatMap((upstream) -> {
					sent.set(true);
					JsonRpcMessage upstreamRequest = ownId(session, upstream, forwarded);
					return leveled(session, location, upstream, forwarded)
						.then(call(location, upstream, declared(session, upstream, upstreamRequest)))
						.onErrorResume(UpstreamSessionExpiredException.class,
								(ex) -> renew(session, location, upstream, ex).flatMap((renewed) -> call(location,
										renewed, declared(session, renewed, upstreamRequest))))
						.flatMap((used) -> bridged(used, location, declared(session, used.session(), upstreamRequest),
								context, session, forwarded.id()));
				})));
		if (index + 1 == order.size()) {
			return attempt;
		}
		return attempt.onErrorResume((ex) -> mayFailOver(ex, sent.get(), idempotent), (ex) -> {
			logger.warn("Scenario '{}': {} failed over from '{}' to region '{}': {}", this.spec.name(),
					forwarded.method(), location.describe(), order.get(index + 1).region(), ex.getMessage());
			return attempt(session, forwarded, idempotent, order, index + 1);
		});
	}

	private Mono<SessionReply> call(TargetLocation location, UpstreamSession upstream, JsonRpcMessage forwarded) {
		return this.failover.timed(location, location.client().call(forwarded, upstream))
			.map((reply) -> new SessionReply(upstream, reply));
	}

	/**
	 * A new session with a target that forgot the client's (it restarted, or an AgentCore
	 * runtime session ended while idle), unless the client ended its session: the
	 * target's 404 is also how an end on another replica reaches this one, so a new
	 * session is opened only when the replicas share their terminations and none has this
	 * one. The forgotten session's request never ran, so it may be sent again.
	 */
	private Mono<UpstreamSession> renew(Upstreams session, TargetLocation location, UpstreamSession forgotten,
			UpstreamSessionExpiredException expired) {
		if (session.sessionless()) {
			// A sessionless caller has no session that could have been ended.
			return reopen(session, location, forgotten);
		}
		if (!this.terminated.sharedByReplicas()) {
			return Mono.error(expired);
		}
		return this.terminated.isTerminated(session.key())
			.flatMap((ended) -> ended ? Mono.error(expired) : reopen(session, location, forgotten));
	}

	private Mono<UpstreamSession> reopen(Upstreams session, TargetLocation location, UpstreamSession forgotten) {
		logger.info("Scenario '{}': target '{}' forgot the session; opening a new one", this.spec.name(),
				location.describe());
		return this.lazySessions.renew(session.key(), TargetCall.endpoint(location.target(), location.region()),
				forgotten, () -> open(location, upstreamParams(session)));
	}

	private static boolean mayFailOver(Throwable ex, boolean sent, boolean idempotent) {
		if (!(ex instanceof TargetException) && !(ex instanceof TimeoutException)) {
			return false;
		}
		return !sent || (idempotent && (!(ex instanceof TargetException target) || target.worthAnotherAttempt()));
	}

	/**
	 * Reads and gets change nothing; a tool call is idempotent only when its target says
	 * so.
	 */
	private boolean idempotent(String method, QualifiedName target) {
		return switch (method) {
			case McpMethods.RESOURCES_READ, McpMethods.PROMPTS_GET, McpMethods.COMPLETION_COMPLETE,
					McpMethods.RESOURCES_SUBSCRIBE, McpMethods.RESOURCES_UNSUBSCRIBE ->
				true;
			case McpMethods.TOOLS_CALL -> catalog().idempotentTool(target);
			default -> false;
		};
	}

	/**
	 * The session sealed in the client's session id when it was opened with this
	 * location; otherwise one opened now, kept by this replica.
	 */
	private Mono<UpstreamSession> upstream(Upstreams session, TargetLocation location) {
		String endpoint = TargetCall.endpoint(location.target(), location.region());
		Mono<UpstreamSession> opened = this.lazySessions.find(session.key(), endpoint);
		if (opened != null) {
			return opened;
		}
		UpstreamSession sealed = session.sealed().get(location.target());
		if (sealed != null && Objects.equals(sealed.region(), location.region())) {
			return Mono.just(sealed);
		}
		return this.lazySessions.get(session.key(), endpoint, () -> open(location, upstreamParams(session)));
	}

	/**
	 * The parameters of an upstream session's initialize opened for a client session. A
	 * session for sessionless callers declares what a 2026-07-28 client may be asked
	 * through multi round-trip results: whether a call's client can answer is known only
	 * from each request, and a target asking what its client cannot answer is refused
	 * then.
	 */
	private ObjectNode upstreamParams(Upstreams session) {
		ObjectNode params = JsonRpcCodec.object();
		params.put("protocolVersion", session.protocolVersion());
		ObjectNode capabilities = params.putObject("capabilities");
		if (session.sessionless()) {
			ClientSession.ANSWERABLE.forEach(capabilities::putObject);
		}
		params.set("clientInfo", this.serverInfo);
		return params;
	}

	/**
	 * A session with a target at initialize, with the first of its locations that the
	 * caller may use and that opens one.
	 */
	private Mono<Map.Entry<String, UpstreamSession>> openUpstream(String target, ObjectNode params, CatalogView view) {
		List<TargetLocation> order = this.failover.order(this.catalogs.locations(target),
				(region) -> view.admitsRegion(target, region));
		return Flux.fromIterable(order).concatMap((location) -> open(location, params).onErrorResume((ex) -> {
			logger.warn("Scenario '{}': no session with target '{}' at initialize: {}", this.spec.name(),
					location.describe(), ex.getMessage());
			return Mono.empty();
		})).next().map((session) -> Map.entry(target, session));
	}

	private Mono<UpstreamSession> open(TargetLocation location, ObjectNode params) {
		return location.client()
			.initialize(params)
			.timeout(this.initializeTimeout)
			.map((initialization) -> initialization.session().in(location.region()));
	}

	/**
	 * The target of a lazily opened session, kept as {@code target} or
	 * {@code target@region}.
	 */
	private static String targetOf(String endpoint) {
		int at = endpoint.indexOf('@');
		return (at < 0) ? endpoint : endpoint.substring(0, at);
	}

	private ObjectNode initializeResult(String version, CatalogView view) {
		FederatedCatalog catalog = catalog(view);
		ObjectNode result = JsonRpcCodec.object();
		result.put("protocolVersion", version);
		result.set("capabilities", catalog.capabilities());
		ObjectNode info = this.serverInfo.deepCopy();
		info.put("title", "Atrium MCP gateway (" + this.spec.name() + ")");
		result.set("serverInfo", info);
		if (catalog.instructions() != null) {
			result.put("instructions", catalog.instructions());
		}
		return result;
	}

	private static Mono<McpReply> answer(JsonRpcMessage request, ObjectNode result) {
		return Mono.just(new McpReply.Answer(JsonRpcCodec.result(request.id(), result)));
	}

	private record Snapshot(long generation, Map<String, FederatedCatalog> views) {
	}

	private record TaskPage(String target, ObjectNode result) {
	}

	private record SessionReply(UpstreamSession session, UpstreamReply reply) {
	}

	private record UpstreamSessionOf(TargetLocation location, UpstreamSession session) {
	}

	/**
	 * Whose sessions with the targets a request uses.
	 *
	 * @param key what the sessions this replica opens for it are kept under
	 * @param sealed the sessions sealed in a client's session id, by target
	 * @param protocolVersion the revision to open further sessions with
	 * @param sessionless whether the client is a 2026-07-28 one, which has no session
	 * @param caller the caller's id, {@code null} when anonymous
	 * @param capabilities what a client with a session declared it can answer;
	 * {@code null} for a sessionless one, which says it in every request
	 */
	private record Upstreams(String key, Map<String, UpstreamSession> sealed, String protocolVersion,
			boolean sessionless, String caller, ObjectNode capabilities) {

		static Upstreams of(SessionHandle handle) {
			return new Upstreams(handle.id(), handle.session().upstreams(), handle.session().protocolVersion(), false,
					handle.session().caller(), handle.session().capabilities());
		}

		/**
		 * A sessionless caller's sessions with targets that need one, kept per caller
		 * (anonymous callers share theirs): the newest revision with a session is asked.
		 */
		static Upstreams ofCaller(McpCaller caller) {
			return new Upstreams("sessionless:" + Objects.toString(caller.id(), ""), Map.of(), ProtocolVersion.LATEST,
					true, caller.id(), null);
		}

	}

}
