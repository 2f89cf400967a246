package dev.atrium.policy.http;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes a refusal the way the MCP transport does: an HTTP status and a JSON-RPC error
 * with a null id.
 */
public final class JsonRpcErrorBodies {

	/**
	 * The exchange attribute naming why Atrium refused a request before its MCP handler
	 * saw it ({@code body_too_large}...), for the metrics and the audit trail.
	 */
	public static final String REFUSAL_ATTRIBUTE = JsonRpcErrorBodies.class.getName() + ".refusal";

	private static final JsonRpcCodec CODEC = new JsonRpcCodec();

	private JsonRpcErrorBodies() {
	}

	static Mono<Void> refuse(ServerWebExchange exchange, String reason, HttpStatus status, String message) {
		return refuse(exchange, reason, status, Map.of(), JsonRpcError.invalidRequest(message));
	}

	/**
	 * Answers a request whose body was not read with a JSON-RPC error, closing the
	 * connection, and notes the reason on the exchange.
	 */
	public static Mono<Void> refuse(ServerWebExchange exchange, String reason, HttpStatus status,
			Map<String, String> headers, JsonRpcError error) {
		exchange.getAttributes().put(REFUSAL_ATTRIBUTE, reason);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		headers.forEach(response.getHeaders()::set);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		// The request body may be unread: the connection cannot carry another request.
		response.getHeaders().setConnection("close");
		byte[] body = CODEC.write(JsonRpcCodec.error(null, error));
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
