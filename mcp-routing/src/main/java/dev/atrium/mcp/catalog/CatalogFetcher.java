package dev.atrium.mcp.catalog;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.atrium.mcp.client.StreamableHttpClient;
import dev.atrium.mcp.client.TargetException;
import dev.atrium.mcp.client.UpstreamSession;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.ProtocolVersion;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a target's whole catalog on a session of Atrium's own: initialize, every list the
 * target's capabilities announce with every page, then the session is ended.
 */
public final class CatalogFetcher {

	/** A target whose cursors never end must not keep a refresh busy forever. */
	static final int MAX_PAGES = 1000;

	private final ObjectNode clientInfo;

	private final Clock clock;

	private final AtomicLong ids = new AtomicLong();

	public CatalogFetcher(ObjectNode clientInfo, Clock clock) {
		this.clientInfo = clientInfo;
		this.clock = clock;
	}

	public Mono<TargetCatalog> fetch(StreamableHttpClient client) {
		ObjectNode params = JsonRpcCodec.object();
		params.put("protocolVersion", ProtocolVersion.LATEST);
		// What Atrium can relay from a target to its clients: a server that offers tools
		// only to clients that can answer sampling or elicitation lists them too. Not
		// roots: a server that asks for them at once would wait on this session.
		ObjectNode capabilities = params.putObject("capabilities");
		capabilities.putObject("sampling");
		ObjectNode elicitation = capabilities.putObject("elicitation");
		elicitation.putObject("form");
		elicitation.putObject("url");
		params.set("clientInfo", this.clientInfo);
		return client.initialize(params)
			.flatMap((initialization) -> Mono.usingWhen(Mono.just(initialization.session()),
					(session) -> readLists(client, session, initialization.result()), client::terminate));
	}

	private Mono<TargetCatalog> readLists(StreamableHttpClient client, UpstreamSession session, ObjectNode init) {
		ObjectNode capabilities = (init.get("capabilities") instanceof ObjectNode caps) ? caps : JsonRpcCodec.object();
		var tools = listIf(capabilities.has("tools"), client, session, McpMethods.TOOLS_LIST, "tools");
		var prompts = listIf(capabilities.has("prompts"), client, session, McpMethods.PROMPTS_LIST, "prompts");
		var resources = listIf(capabilities.has("resources"), client, session, McpMethods.RESOURCES_LIST, "resources");
		var templates = listIf(capabilities.has("resources"), client, session, McpMethods.RESOURCES_TEMPLATES_LIST,
				"resourceTemplates");
		ObjectNode serverInfo = (init.get("serverInfo") instanceof ObjectNode info) ? info : JsonRpcCodec.object();
		String instructions = init.path("instructions").asString(null);
		return Mono.zip(tools, prompts, resources, templates)
			.map((lists) -> new TargetCatalog(client.endpoint().name(), serverInfo, capabilities, instructions,
					lists.getT1(), lists.getT2(), lists.getT3(), lists.getT4(), this.clock.instant()));
	}

	private Mono<List<ObjectNode>> listIf(boolean announced, StreamableHttpClient client, UpstreamSession session,
			String method, String member) {
		if (!announced) {
			return Mono.just(List.of());
		}
		return page(client, session, method, null)
			.expand((result) -> nextCursor(result).map((cursor) -> page(client, session, method, cursor))
				.orElse(Mono.empty()))
			.take(MAX_PAGES + 1)
			.index()
			.flatMap(
					(indexed) -> (indexed.getT1() >= MAX_PAGES)
							? Mono.error(TargetException.unavailable(client.endpoint().name(),
									"paginated " + method + " past " + MAX_PAGES + " pages"))
							: Mono.just(indexed.getT2()))
			.concatMap((result) -> items(result, member))
			.collectList();
	}

	private Mono<ObjectNode> page(StreamableHttpClient client, UpstreamSession session, String method, String cursor) {
		ObjectNode params = JsonRpcCodec.object();
		if (cursor != null) {
			params.put("cursor", cursor);
		}
		JsonRpcMessage request = JsonRpcCodec.request("atrium-catalog-" + this.ids.incrementAndGet(), method, params);
		return client.request(request, session).flatMap((response) -> {
			if (response.node().get("result") instanceof ObjectNode result) {
				return Mono.just(result);
			}
			return Mono.error(TargetException.unavailable(client.endpoint().name(),
					"refused " + method + ": " + response.node().path("error").path("message").asString("no result")));
		});
	}

	private static Optional<String> nextCursor(ObjectNode result) {
		JsonNode cursor = result.get("nextCursor");
		return (cursor != null && cursor.isString() && !cursor.asString().isEmpty()) ? Optional.of(cursor.asString())
				: Optional.empty();
	}

	private static Flux<ObjectNode> items(ObjectNode result, String member) {
		return Flux.fromIterable(result.path(member).values())
			.filter(ObjectNode.class::isInstance)
			.cast(ObjectNode.class);
	}

}
