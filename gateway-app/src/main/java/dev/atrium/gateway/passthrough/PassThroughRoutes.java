package dev.atrium.gateway.passthrough;

import java.util.Map;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.policy.ScenarioAccesses;
import dev.atrium.policy.resilience.ResilientTargetCalls;
import dev.atrium.gateway.federation.AtriumFederation;
import dev.atrium.mcp.client.CallerHeaders;
import dev.atrium.mcp.client.TargetEndpoint;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.transport.StreamSlots;
import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * A Spring Cloud Gateway route per scenario and target,
 * {@code {path}/targets/{target}/mcp}, that proxies the target as it is: no renaming, the
 * target's own session ids. The caller's credentials are never forwarded.
 */
@Configuration(proxyBeanMethods = false)
public class PassThroughRoutes {

	@Bean
	RouteLocator passThroughRouteLocator(RouteLocatorBuilder builder, AtriumProperties properties,
			AtriumFederation federation, CallerHeaders callerHeaders, ScenarioAccesses accesses, StreamSlots streams,
			JsonRpcCodec codec, ResilientTargetCalls calls) {
		StreamSlotsGatewayFilter streamSlots = new StreamSlotsGatewayFilter(streams, codec);
		// Read on every refresh: the target endpoints exist once the federation started.
		return () -> Flux.defer(
				() -> routes(builder, properties, federation.endpoints(), callerHeaders, accesses, streamSlots, calls)
					.getRoutes());
	}

	private static RouteLocator routes(RouteLocatorBuilder builder, AtriumProperties properties,
			Map<String, TargetEndpoint> endpoints, CallerHeaders callerHeaders, ScenarioAccesses accesses,
			StreamSlotsGatewayFilter streamSlots, ResilientTargetCalls calls) {
		RouteLocatorBuilder.Builder routes = builder.routes();
		properties.scenarios().forEach((scenario, config) -> config.targets().forEach((target) -> {
			TargetEndpoint endpoint = endpoints.get(target);
			if (endpoint == null) {
				return;
			}
			String path = config.path() + "/targets/" + target + "/mcp";
			String targetPath = endpoint.uri().getRawPath().isEmpty() ? "/" : endpoint.uri().getRawPath();
			routes.route("pass-through-" + scenario + "-" + target, (route) -> route.path(path).filters((filters) -> {
				accesses.of(scenario)
					.ifPresent((access) -> filters.filter(new PassThroughPolicyGatewayFilter(access, target)));
				filters.setPath(targetPath)
					.removeRequestHeader(HttpHeaders.AUTHORIZATION)
					.removeRequestHeader(HttpHeaders.COOKIE)
					.removeRequestHeader("Proxy-Authorization");
				properties.server().strippedHeaders().forEach(filters::removeRequestHeader);
				endpoint.headers().forEach(filters::setRequestHeader);
				return filters.filter(streamSlots)
					.filter(new CallerHeadersGatewayFilter(callerHeaders, target))
					.filter(new PassThroughResilienceGatewayFilter(calls, target));
			})
				.metadata(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, endpoint.connectTimeout().toMillis())
				.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, endpoint.firstByteTimeout().toMillis())
				.uri(endpoint.uri()));
		}));
		return routes.build();
	}

}
