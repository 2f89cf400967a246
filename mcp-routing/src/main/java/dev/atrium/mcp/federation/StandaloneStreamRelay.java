package dev.atrium.mcp.federation;

import java.util.function.Function;

import dev.atrium.mcp.catalog.TargetCatalogs;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.region.TargetLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a target sends on its standalone stream ({@code GET}), as the client of the
 * virtual server is to see it: the target's requests get ids that say where they came
 * from, as within calls; a change of its lists refreshes its catalog before it is
 * announced, as a change of the virtual server's own lists; an updated resource is named
 * by the URI the client knows.
 */
final class StandaloneStreamRelay {

	private static final Logger logger = LoggerFactory.getLogger(StandaloneStreamRelay.class);

	private final String scenario;

	private final TargetCatalogs catalogs;

	private final Function<CatalogView, FederatedCatalog> catalog;

	StandaloneStreamRelay(String scenario, TargetCatalogs catalogs, Function<CatalogView, FederatedCatalog> catalog) {
		this.scenario = scenario;
		this.catalogs = catalogs;
		this.catalog = catalog;
	}

	/**
	 * One target's stream, relayed; a stream that fails ends quietly, the others go on.
	 */
	Flux<JsonRpcMessage> relay(TargetLocation location, Flux<JsonRpcMessage> stream, CatalogView view) {
		return stream.concatMap((message) -> relayed(location, message, view)).onErrorResume((ex) -> {
			logger.debug("Scenario '{}': the standalone stream of target '{}' ended: {}", this.scenario,
					location.describe(), ex.getMessage());
			return Flux.empty();
		});
	}

	private Mono<JsonRpcMessage> relayed(TargetLocation location, JsonRpcMessage received, CatalogView view) {
		// A task's status, or a request a task makes, names the task as the client knows
		// it.
		JsonRpcMessage message = TaskIds.toClient(received, null, location.target(), location.region());
		if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
			// A response belongs on the stream of the request it answers, never here.
			return Mono.empty();
		}
		if (message.isRequest()) {
			ObjectNode node = message.node().deepCopy();
			node.put("id", ServerRequestIds.encode(location.target(), location.region(), message.id()));
			return Mono.just(new JsonRpcMessage(node));
		}
		return switch (message.method()) {
			case McpMethods.TOOLS_LIST_CHANGED, McpMethods.PROMPTS_LIST_CHANGED, McpMethods.RESOURCES_LIST_CHANGED ->
				// Refreshed first, so that a client that lists again sees the change.
				this.catalogs.refreshAfterChange(location.target()).thenReturn(message);
			case McpMethods.RESOURCES_UPDATED -> Mono.just(withExposedUri(location, message, view));
			default -> Mono.just(message);
		};
	}

	private JsonRpcMessage withExposedUri(TargetLocation location, JsonRpcMessage message, CatalogView view) {
		String uri = message.stringParam("uri");
		if (uri == null) {
			return message;
		}
		ObjectNode params = message.params().deepCopy();
		params.put("uri", this.catalog.apply(view).resourceTable().exposedUriOf(location.target(), uri));
		return message.withParams(params);
	}

}
