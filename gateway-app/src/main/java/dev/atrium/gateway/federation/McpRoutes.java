package dev.atrium.gateway.federation;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.transport.StreamableHttpServerHandler;
import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * One MCP endpoint per scenario, at {@code {path}/mcp}. The pass-through routes per
 * target are Spring Cloud Gateway routes (see {@code PassThroughRoutes}).
 */
@Configuration(proxyBeanMethods = false)
public class McpRoutes {

	@Bean
	RouterFunction<ServerResponse> scenarioMcpRoutes(AtriumProperties properties, AtriumFederation federation,
			JsonRpcCodec codec) {
		RouterFunctions.Builder routes = RouterFunctions.route();
		properties.scenarios().forEach((name, scenario) -> {
			String path = scenario.path() + "/mcp";
			routes.route(RequestPredicates.POST(path),
					(request) -> dispatch(federation, name, codec, request, StreamableHttpServerHandler::post));
			routes.route(RequestPredicates.GET(path),
					(request) -> dispatch(federation, name, codec, request, StreamableHttpServerHandler::get));
			routes.route(RequestPredicates.DELETE(path),
					(request) -> dispatch(federation, name, codec, request, StreamableHttpServerHandler::delete));
		});
		return routes.build();
	}

	private static Mono<ServerResponse> dispatch(AtriumFederation federation, String scenario, JsonRpcCodec codec,
			ServerRequest request, Action action) {
		return federation.handler(scenario)
			.map((handler) -> action.apply(handler, request))
			.orElseGet(() -> ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", "1")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(codec.write(JsonRpcCodec.error(null,
						new JsonRpcError(JsonRpcError.INTERNAL_ERROR, "Atrium is starting, try again shortly")))));
	}

	@FunctionalInterface
	private interface Action {

		Mono<ServerResponse> apply(StreamableHttpServerHandler handler, ServerRequest request);

	}

}
