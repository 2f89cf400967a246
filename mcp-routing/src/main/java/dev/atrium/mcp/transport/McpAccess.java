package dev.atrium.mcp.transport;

import java.util.Map;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Who is calling and what they may do, as the transport asks it; policy answers. The
 * transport knows nothing of tokens: it binds sessions to the caller's id and refuses
 * what the policy denies, before anything reaches a target, and shows each caller only
 * the part of the catalog the policy lets it see.
 */
public interface McpAccess {

	/** Lets everyone do everything: scenarios without authentication. */
	McpAccess OPEN = new McpAccess() {

		@Override
		public Mono<McpCaller> caller(ServerRequest request) {
			return Mono.just(McpCaller.ANONYMOUS);
		}

		@Override
		public Mono<Denial> check(ServerRequest request, JsonRpcMessage message) {
			return Mono.empty();
		}

	};

	/**
	 * Who is calling: the id sessions are bound to and what of the catalog it may see;
	 * never empty.
	 */
	Mono<McpCaller> caller(ServerRequest request);

	/** Empty when the message may pass, otherwise why not. */
	Mono<Denial> check(ServerRequest request, JsonRpcMessage message);

	/**
	 * A refusal, as HTTP status, headers (e.g. a {@code WWW-Authenticate} challenge) and
	 * the JSON-RPC error in the body, or in the stream once the status is sent.
	 *
	 * @param status the HTTP status
	 * @param headers headers to add
	 * @param error the JSON-RPC error
	 */
	record Denial(HttpStatus status, Map<String, String> headers, JsonRpcError error) {

		public Denial {
			headers = Map.copyOf(headers);
		}

	}

}
