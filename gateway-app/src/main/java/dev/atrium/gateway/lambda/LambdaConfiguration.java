package dev.atrium.gateway.lambda;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.credentials.TargetCredentials;
import dev.atrium.gateway.openapi.InternalRouteSecret;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves each Lambda target's MCP server at {@code /_atrium/lambda/{target}/mcp}, to
 * Atrium's federation only: without the internal secret the route does not exist (404).
 */
@Configuration(proxyBeanMethods = false)
public class LambdaConfiguration {

	@Bean(destroyMethod = "close")
	LambdaTargets lambdaTargets(AtriumProperties properties, TargetCredentials targetCredentials,
			InternalRouteSecret internalRouteSecret) {
		return new LambdaTargets(properties.targets(), targetCredentials,
				new JacksonMcpJsonMapper(JsonMapper.builder().build()), internalRouteSecret);
	}

	@Bean
	RouterFunction<ServerResponse> lambdaMcpRoutes(LambdaTargets targets) {
		return RouterFunctions.route(RequestPredicates.POST(LambdaTargets.path("{target}")),
				(request) -> serve(request, targets));
	}

	private static Mono<ServerResponse> serve(ServerRequest request, LambdaTargets targets) {
		if (!targets.secret().matches(request.headers().firstHeader(InternalRouteSecret.HEADER))) {
			return ServerResponse.status(HttpStatus.NOT_FOUND).build();
		}
		return targets.server(request.pathVariable("target"))
			.map((server) -> server.transport().post(request))
			.orElseGet(() -> ServerResponse.status(HttpStatus.NOT_FOUND).build());
	}

}
