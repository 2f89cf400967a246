package dev.atrium.gateway.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.policy.auth.IssuerSpec;
import dev.atrium.policy.auth.IssuerType;
import dev.atrium.policy.auth.ResourceMetadataLocation;
import dev.atrium.policy.auth.ScenarioAuth;
import dev.atrium.policy.auth.ScenarioAuthRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * RFC 9728 protected-resource metadata for each authenticated scenario, at
 * {@code /.well-known/oauth-protected-resource/{scenario}/mcp}: the resource, the
 * authorization servers that issue tokens for it, and the scopes it knows.
 */
@Configuration(proxyBeanMethods = false)
public class ProtectedResourceMetadataRoutes {

	@Bean
	RouterFunction<ServerResponse> protectedResourceMetadata(ScenarioAuthRegistry registry) {
		return RouterFunctions.route(RequestPredicates.GET(ResourceMetadataLocation.WELL_KNOWN + "/**"), (request) -> {
			String resourcePath = request.path().substring(ResourceMetadataLocation.WELL_KNOWN.length());
			return registry.forPath(resourcePath)
				.filter((scenario) -> !scenario.anonymous() && scenario.mcpPath().equals(resourcePath))
				.map((scenario) -> ServerResponse.ok()
					.contentType(MediaType.APPLICATION_JSON)
					.cacheControl(CacheControl.noCache())
					.bodyValue(metadata(request, scenario)))
				.orElseGet(() -> ServerResponse.notFound().build());
		});
	}

	private static Map<String, Object> metadata(ServerRequest request, ScenarioAuth scenario) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("resource", ResourceMetadataLocation.resource(request.exchange().getRequest(), scenario));
		metadata.put("authorization_servers", authorizationServers(scenario));
		metadata.put("scopes_supported", scenario.operations().allScopes());
		metadata.put("bearer_methods_supported", List.of("header"));
		metadata.put("resource_name", "Atrium MCP gateway (" + scenario.name() + ")");
		return metadata;
	}

	/** API keys are minted by Atrium's admin endpoint, not by an authorization server. */
	private static List<String> authorizationServers(ScenarioAuth scenario) {
		return scenario.issuers()
			.stream()
			.filter((issuer) -> issuer.type() != IssuerType.API_KEY)
			.map(IssuerSpec::issuer)
			.distinct()
			.toList();
	}

}
