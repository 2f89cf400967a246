package dev.atrium.gateway.openapi;

import java.security.SecureRandom;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.credentials.TargetCredentials;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
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
 * Serves each OpenAPI target's MCP server at {@code /_atrium/openapi/{target}/mcp}, to
 * Atrium's federation only: without the internal secret the route does not exist (404).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

	@Bean
	InternalRouteSecret internalRouteSecret() {
		return new InternalRouteSecret(new SecureRandom());
	}

	@Bean(destroyMethod = "close")
	OpenApiTargets openApiTargets(AtriumProperties properties, TargetCredentials targetCredentials,
			HttpClient targetHttpClient, InternalRouteSecret internalRouteSecret) {
		return new OpenApiTargets(properties.targets(), targetCredentials, targetHttpClient,
				new JacksonMcpJsonMapper(JsonMapper.builder().build()), internalRouteSecret);
	}

	@Bean
	RouterFunction<ServerResponse> openApiMcpRoutes(OpenApiTargets targets) {
		return RouterFunctions.route(RequestPredicates.POST(OpenApiTargets.path("{target}")),
				(request) -> serve(request, targets));
	}

	private static Mono<ServerResponse> serve(ServerRequest request, OpenApiTargets targets) {
		if (!targets.secret().matches(request.headers().firstHeader(InternalRouteSecret.HEADER))) {
			return ServerResponse.status(HttpStatus.NOT_FOUND).build();
		}
		return targets.server(request.pathVariable("target"))
			.map((server) -> server.transport().post(request))
			.orElseGet(() -> ServerResponse.status(HttpStatus.NOT_FOUND).build());
	}

}
