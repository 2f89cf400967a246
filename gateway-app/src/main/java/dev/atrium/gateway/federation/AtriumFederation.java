package dev.atrium.gateway.federation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.config.FederationTracing;
import dev.atrium.gateway.config.ResilienceProperties;
import dev.atrium.gateway.context.RuntimeSessionHeaders;
import dev.atrium.gateway.credentials.TargetCredentials;
import dev.atrium.gateway.lambda.LambdaTargets;
import dev.atrium.gateway.openapi.InternalRouteSecret;
import dev.atrium.gateway.openapi.OpenApiTargets;
import dev.atrium.gateway.policy.ScenarioAccesses;
import dev.atrium.mcp.catalog.CatalogFetcher;
import dev.atrium.mcp.catalog.TargetCatalogs;
import dev.atrium.mcp.client.BusySessionRetry;
import dev.atrium.mcp.client.CallerHeaders;
import dev.atrium.mcp.client.StreamableHttpClient;
import dev.atrium.mcp.client.TargetCallGuard;
import dev.atrium.mcp.client.TargetEndpoint;
import dev.atrium.mcp.client.TargetEra;
import dev.atrium.mcp.client.credentials.OutboundCredentials;
import dev.atrium.mcp.federation.ScenarioSpec;
import dev.atrium.mcp.federation.InputWait;
import dev.atrium.mcp.federation.VirtualServer;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.region.FailoverSettings;
import dev.atrium.mcp.region.RegionFailover;
import dev.atrium.mcp.region.TargetLocation;
import dev.atrium.mcp.region.TargetLocations;
import dev.atrium.mcp.session.SessionCodec;
import dev.atrium.mcp.session.TerminatedSessions;
import dev.atrium.mcp.transport.McpAccess;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.mcp.stream.ResumableStreams;
import dev.atrium.mcp.stream.StreamIds;
import dev.atrium.mcp.transport.ResumptionHandOff;
import dev.atrium.mcp.transport.StreamSlots;
import dev.atrium.mcp.transport.StreamableHttpServerHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The running federation: targets, their catalogs, and one virtual server per scenario.
 * It starts once the web server has its port, because the demo target is served by Atrium
 * itself.
 */
@Component
public class AtriumFederation implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(AtriumFederation.class);

	/** What targets see as the client, unless a target's headers say otherwise. */
	static final String USER_AGENT = "Atrium/"
			+ Objects.requireNonNullElse(AtriumFederation.class.getPackage().getImplementationVersion(), "dev");

	/** The name of the built-in demo target. */
	public static final String DEMO_TARGET = "demo";

	private final AtriumProperties properties;

	private final JsonRpcCodec codec;

	private final SessionCodec sessions;

	private final TerminatedSessions terminated;

	private final HttpClient httpClient;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final ScenarioAccesses accesses;

	private final McpExchangeObserver observer;

	private final CallerHeaders callerHeaders;

	private final StreamSlots streams;

	private final ResumableStreams resumable;

	private final ResumptionHandOff handOff;

	private final TargetCallGuard guard;

	private final TargetCredentials credentials;

	private final OpenApiTargets openApiTargets;

	private final LambdaTargets lambdaTargets;

	private final RegionFailover failover;

	private volatile Running running;

	public AtriumFederation(AtriumProperties properties, JsonRpcCodec codec, SessionCodec sessions,
			TerminatedSessions terminated, HttpClient targetHttpClient, Clock clock, ApplicationEventPublisher events,
			ScenarioAccesses accesses, McpExchangeObserver observer, CallerHeaders callerHeaders, StreamSlots streams,
			TargetCallGuard targetCallGuard, FederationTracing tracing, TargetCredentials targetCredentials,
			OpenApiTargets openApiTargets, LambdaTargets lambdaTargets, RegionFailover.Availability regionAvailability,
			StreamIds streamIds, ResumptionHandOff handOff) {
		this.properties = properties;
		this.codec = codec;
		this.sessions = sessions;
		this.terminated = terminated;
		this.httpClient = targetHttpClient;
		this.clock = clock;
		this.events = events;
		this.accesses = accesses;
		this.observer = observer;
		this.callerHeaders = tracing.withTraceContext(RuntimeSessionHeaders.wrap(callerHeaders, properties));
		this.streams = streams;
		this.resumable = new ResumableStreams(properties.streams().settings(), Schedulers.parallel(), clock, streamIds);
		this.handOff = streamIds.sealing() ? handOff : null;
		this.guard = tracing.observe(targetCallGuard);
		this.credentials = targetCredentials;
		this.openApiTargets = openApiTargets;
		this.lambdaTargets = lambdaTargets;
		this.failover = new RegionFailover(regionAvailability, this::failoverSettings, clock);
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			// The management server, when it has its own port.
			return;
		}
		start(event.getWebServer().getPort());
	}

	synchronized void start(int port) {
		if (this.running != null) {
			return;
		}
		Map<String, TargetEndpoint> endpoints = endpoints(port);
		Map<String, TargetLocations> locations = new LinkedHashMap<>();
		endpoints.forEach((name, endpoint) -> locations.put(name, TargetLocations.of(client(endpoint))));
		locations.putAll(regionalLocations());
		AtriumProperties.Federation federation = this.properties.federation();
		TargetCatalogs catalogs = new TargetCatalogs(locations, this.failover,
				new CatalogFetcher(serverInfo(), this.clock), federation.catalogTtl(), federation.catalogTimeout(),
				this.clock);
		Map<String, StreamableHttpServerHandler> handlers = new LinkedHashMap<>();
		this.properties.scenarios().forEach((name, scenario) -> {
			VirtualServer server = new VirtualServer(scenarioSpec(name, scenario), catalogs, serverInfo(),
					federation.initializeTimeout(), this.clock, this.guard, this.failover, this.terminated,
					new InputWait(this.sessions.box(), federation.inputWindow(), federation.maxHeldCalls()));
			handlers.put(name,
					new StreamableHttpServerHandler(server, this.sessions, this.terminated, this.codec,
							this.properties.server().maxRequestBody().toBytes(), access(name), this.observer,
							this.streams, this.resumable, this.handOff));
		});
		this.running = new Running(Map.copyOf(endpoints), catalogs, Map.copyOf(handlers));
		catalogs.start();
		this.events.publishEvent(new RefreshRoutesEvent(this));
		logger.info("Atrium federates {} target(s) into {} scenario(s): {}", locations.size(), handlers.size(),
				describeScenarios());
	}

	/** The handler of a scenario's MCP endpoint, once the federation runs. */
	public Optional<StreamableHttpServerHandler> handler(String scenario) {
		Running current = this.running;
		return (current != null) ? Optional.ofNullable(current.handlers().get(scenario)) : Optional.empty();
	}

	public Optional<TargetCatalogs> catalogs() {
		Running current = this.running;
		return (current != null) ? Optional.of(current.catalogs()) : Optional.empty();
	}

	/**
	 * The endpoints of the targets served from one place, once the federation runs;
	 * regional targets are reached only through the federation.
	 */
	public Map<String, TargetEndpoint> endpoints() {
		Running current = this.running;
		return (current != null) ? current.endpoints() : Map.of();
	}

	/** How calls to regional targets choose their region. */
	public RegionFailover failover() {
		return this.failover;
	}

	@Override
	public void destroy() {
		Running current = this.running;
		if (current != null) {
			current.catalogs().close();
		}
	}

	private Map<String, TargetEndpoint> endpoints(int port) {
		Map<String, TargetEndpoint> endpoints = new LinkedHashMap<>();
		if (this.properties.demo().enabled() && !this.properties.targets().containsKey(DEMO_TARGET)) {
			URI uri = URI.create("http://127.0.0.1:" + port + "/demo/mcp");
			// Atrium's own demo server, of 2025-11-25: nothing to ask.
			endpoints.put(DEMO_TARGET, endpoint(DEMO_TARGET, uri, Map.of(), Duration.ofSeconds(5),
					OutboundCredentials.NONE, BusySessionRetry.NONE, TargetEra.LEGACY));
		}
		new TreeMap<>(this.properties.targets()).entrySet()
			.stream()
			.filter((entry) -> entry.getValue().regions().isEmpty())
			.forEach((entry) -> endpoints.put(entry.getKey(), endpoint(entry.getKey(), entry.getValue(), port)));
		return endpoints;
	}

	private TargetEndpoint endpoint(String name, AtriumProperties.Target target, int port) {
		if (target.openapi() != null) {
			return openApiEndpoint(name, target, port);
		}
		if (target.lambda() != null) {
			return lambdaEndpoint(name, target, port);
		}
		return endpoint(name, target.endpoint(), target.headers(), target.connectTimeout(),
				this.credentials.forTarget(name),
				(target.agentcore() != null) ? BusySessionRetry.AGENTCORE : BusySessionRetry.NONE, target.era());
	}

	/**
	 * The endpoints of each regional target, one per region, each with its own
	 * credentials.
	 */
	private Map<String, TargetLocations> regionalLocations() {
		Map<String, TargetLocations> locations = new TreeMap<>();
		this.properties.targets().forEach((name, target) -> {
			if (target.regions().isEmpty()) {
				return;
			}
			List<TargetLocation> regions = new ArrayList<>();
			target.regions().forEach((region, endpoint) -> {
				TargetEndpoint regional = endpoint(name, endpoint.endpoint(), target.headers(), target.connectTimeout(),
						this.credentials.forEndpoint(name, region),
						(endpoint.agentcore() != null) ? BusySessionRetry.AGENTCORE : BusySessionRetry.NONE,
						target.era());
				regions.add(new TargetLocation(region, endpoint.priority(), client(regional)));
			});
			locations.put(name, new TargetLocations(name, regions));
		});
		return locations;
	}

	private StreamableHttpClient client(TargetEndpoint endpoint) {
		return new StreamableHttpClient(endpoint, this.httpClient, this.codec, this.callerHeaders);
	}

	private FailoverSettings failoverSettings(String target) {
		AtriumProperties.Target properties = this.properties.targets().get(target);
		if (properties == null) {
			return FailoverSettings.DEFAULTS;
		}
		return new FailoverSettings(properties.failover().latencyThreshold(), properties.failover().recheckAfter());
	}

	/**
	 * An OpenAPI target is served by Atrium itself, behind the internal secret; its
	 * headers and credentials go to the REST API, not to this loopback hop.
	 */
	private TargetEndpoint openApiEndpoint(String name, AtriumProperties.Target target, int port) {
		Map<String, String> headers = Map.of(InternalRouteSecret.HEADER, this.openApiTargets.secret().value());
		URI uri = URI.create("http://127.0.0.1:" + port + OpenApiTargets.path(name));
		// Served by Atrium's own MCP server, of 2025-11-25: nothing to ask.
		return endpoint(name, uri, headers, target.connectTimeout(), OutboundCredentials.NONE, BusySessionRetry.NONE,
				TargetEra.LEGACY);
	}

	/**
	 * A Lambda target is served by Atrium itself too; the SDK signs its Invoke, so this
	 * loopback hop carries only the internal secret.
	 */
	private TargetEndpoint lambdaEndpoint(String name, AtriumProperties.Target target, int port) {
		Map<String, String> headers = Map.of(InternalRouteSecret.HEADER, this.lambdaTargets.secret().value());
		URI uri = URI.create("http://127.0.0.1:" + port + LambdaTargets.path(name));
		return endpoint(name, uri, headers, target.connectTimeout(), OutboundCredentials.NONE, BusySessionRetry.NONE,
				TargetEra.LEGACY);
	}

	private TargetEndpoint endpoint(String name, URI uri, Map<String, String> headers, Duration connectTimeout,
			OutboundCredentials credentials, BusySessionRetry busyRetry, TargetEra era) {
		ResilienceProperties.Timeouts timeouts = this.properties.resilienceOf(name).timeouts();
		Map<String, String> all = new LinkedHashMap<>();
		all.put(HttpHeaders.USER_AGENT, USER_AGENT);
		all.putAll(headers);
		return new TargetEndpoint(name, uri, all, connectTimeout, timeouts.firstByte(), timeouts.idle(), credentials,
				busyRetry, era);
	}

	private McpAccess access(String scenario) {
		return this.accesses.of(scenario).<McpAccess>map((access) -> access).orElse(McpAccess.OPEN);
	}

	private ScenarioSpec scenarioSpec(String name, AtriumProperties.Scenario scenario) {
		AtriumProperties.Federation federation = this.properties.federation();
		List<ScenarioSpec.TargetRef> targets = scenario.targets()
			.stream()
			.map((target) -> new ScenarioSpec.TargetRef(target, prefix(target)))
			.toList();
		return new ScenarioSpec(name, targets, Optional.ofNullable(scenario.naming()).orElse(federation.naming()),
				federation.maxNameLength(), federation.pageSize(),
				Optional.ofNullable(scenario.onTargetFailure()).orElse(federation.onTargetFailure()));
	}

	private String prefix(String target) {
		AtriumProperties.Target properties = this.properties.targets().get(target);
		return (properties != null && properties.prefix() != null) ? properties.prefix() : target;
	}

	private ObjectNode serverInfo() {
		ObjectNode info = JsonRpcCodec.object();
		info.put("name", "atrium");
		info.put("version", version());
		return info;
	}

	private static String version() {
		String version = AtriumFederation.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "dev";
	}

	private String describeScenarios() {
		StringBuilder text = new StringBuilder();
		this.properties.scenarios()
			.forEach((name, scenario) -> text.append(text.isEmpty() ? "" : ", ")
				.append(scenario.path())
				.append("/mcp -> ")
				.append(scenario.targets()));
		return text.toString();
	}

	private record Running(Map<String, TargetEndpoint> endpoints, TargetCatalogs catalogs,
			Map<String, StreamableHttpServerHandler> handlers) {
	}

}
