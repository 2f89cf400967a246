package dev.atrium.gateway.inprocess;

import java.io.IOException;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A stateless streamable HTTP transport on WebFlux for the MCP Java SDK, whose own server
 * transports are servlet-based. Each POST carries one message and gets one JSON answer;
 * there are no sessions and no server-initiated streams. It serves the MCP servers that
 * Atrium runs itself: the demo target and the OpenAPI targets.
 */
public final class WebFluxStatelessServerTransport implements McpStatelessServerTransport {

	private final McpJsonMapper jsonMapper;

	private volatile McpStatelessServerHandler handler;

	public WebFluxStatelessServerTransport(McpJsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public void setMcpHandler(McpStatelessServerHandler handler) {
		this.handler = handler;
	}

	@Override
	public Mono<Void> closeGracefully() {
		return Mono.empty();
	}

	public Mono<ServerResponse> post(ServerRequest request) {
		return request.bodyToMono(String.class).defaultIfEmpty("").flatMap((body) -> {
			McpSchema.JSONRPCMessage message;
			try {
				message = McpSchema.deserializeJsonRpcMessage(this.jsonMapper, body);
			}
			catch (IOException | IllegalArgumentException ex) {
				return error(HttpStatus.BAD_REQUEST, McpSchema.ErrorCodes.PARSE_ERROR, "Invalid JSON-RPC message");
			}
			return switch (message) {
				case McpSchema.JSONRPCRequest rpc -> this.handler.handleRequest(McpTransportContext.EMPTY, rpc)
					.flatMap((response) -> json(HttpStatus.OK, response));
				case McpSchema.JSONRPCNotification notification ->
					this.handler.handleNotification(McpTransportContext.EMPTY, notification)
						.then(ServerResponse.accepted().build());
				default -> ServerResponse.accepted().build();
			};
		});
	}

	public Mono<ServerResponse> refuseStream(ServerRequest request) {
		return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED).allow(HttpMethod.POST).build();
	}

	private Mono<ServerResponse> error(HttpStatus status, int code, String message) {
		return json(status, new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, null, null,
				new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null)));
	}

	private Mono<ServerResponse> json(HttpStatus status, Object body) {
		try {
			return ServerResponse.status(status)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.jsonMapper.writeValueAsBytes(body));
		}
		catch (IOException ex) {
			return Mono.error(ex);
		}
	}

}
