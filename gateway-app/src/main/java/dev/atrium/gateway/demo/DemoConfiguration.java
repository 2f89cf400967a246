package dev.atrium.gateway.demo;

import dev.atrium.gateway.inprocess.WebFluxStatelessServerTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the demo target at {@code /demo/mcp} when {@code atrium.demo.enabled} is true.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "atrium.demo.enabled", matchIfMissing = true)
public class DemoConfiguration {

	@Bean
	WebFluxStatelessServerTransport demoServerTransport() {
		return new WebFluxStatelessServerTransport(new JacksonMcpJsonMapper(JsonMapper.builder().build()));
	}

	@Bean(destroyMethod = "close")
	DemoMcpServer demoMcpServer(WebFluxStatelessServerTransport transport) {
		return new DemoMcpServer(transport, new JacksonMcpJsonMapper(JsonMapper.builder().build()));
	}

	@Bean
	RouterFunction<ServerResponse> demoMcpRoutes(WebFluxStatelessServerTransport transport, DemoMcpServer server) {
		return RouterFunctions.route(RequestPredicates.POST("/demo/mcp"), transport::post)
			.andRoute(RequestPredicates.GET("/demo/mcp"), transport::refuseStream);
	}

}
