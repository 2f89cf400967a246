package dev.atrium.gateway.passthrough;

import java.util.Map;

import dev.atrium.mcp.client.CallerHeaders;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells a pass-through target who is calling, with the same headers the federated path
 * sends; runs after the client's copies of those headers were removed.
 */
final class CallerHeadersGatewayFilter implements GatewayFilter {

	private final CallerHeaders callerHeaders;

	private final String target;

	CallerHeadersGatewayFilter(CallerHeaders callerHeaders, String target) {
		this.callerHeaders = callerHeaders;
		this.target = target;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return this.callerHeaders.forTarget(this.target)
			.defaultIfEmpty(Map.of())
			.flatMap((headers) -> chain.filter(headers.isEmpty() ? exchange
					: exchange.mutate()
						.request((request) -> request.headers((http) -> headers.forEach(http::set)))
						.build()));
	}

	@Override
	public String toString() {
		return "CallerHeaders[target=" + this.target + "]";
	}

}
