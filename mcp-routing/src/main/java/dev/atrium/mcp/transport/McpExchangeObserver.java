package dev.atrium.mcp.transport;

import java.time.Duration;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;

import org.springframework.web.server.ServerWebExchange;

/**
 * Told of every MCP message the transport finished with: what it was, where it went, how
 * it ended and how long it took. Metrics and the audit trail listen here; the transport
 * knows neither.
 */
@FunctionalInterface
public interface McpExchangeObserver {

	McpExchangeObserver NONE = (exchange) -> {
	};

	void completed(Exchange exchange);

	/** This observer, then the other one. */
	default McpExchangeObserver andThen(McpExchangeObserver next) {
		return (exchange) -> {
			completed(exchange);
			next.completed(exchange);
		};
	}

	/** How an exchange ended. */
	enum Outcome {

		/** Answered with a result (a tool result with {@code isError} included). */
		OK,

		/** Answered with a JSON-RPC error (unknown names, target errors). */
		ERROR,

		/** Refused by policy (403). */
		DENIED,

		/** Refused by the transport (4xx before any dispatch). */
		REJECTED,

		/** Accepted without an answer (notifications, responses: 202). */
		ACCEPTED,

		/** The client went away before the answer ended. */
		CANCELLED

	}

	/**
	 * One finished exchange.
	 *
	 * @param scenario the scenario
	 * @param method the JSON-RPC method, or {@code null} when the message could not be
	 * read
	 * @param target the target it was routed to, or {@code null} when Atrium answered
	 * @param name the tool, prompt or resource it named, as the client named it, or
	 * {@code null}
	 * @param outcome how it ended
	 * @param status the HTTP status of the answer
	 * @param duration from the request's arrival to the end of the answer
	 * @param message the message as the client sent it, or {@code null} when it could not
	 * be read
	 * @param http the HTTP exchange that carried it: its attributes hold the request id
	 * and what policies learnt of the caller
	 */
	record Exchange(String scenario, String method, String target, String name, Outcome outcome, int status,
			Duration duration, JsonRpcMessage message, ServerWebExchange http) {

		/**
		 * The tool or prompt named by a {@code tools/call} or {@code prompts/get} that
		 * reached a target, or {@code null}: names bounded by the targets' catalogs.
		 * Resource URIs are left out, as templates make them unbounded.
		 */
		public String routedName() {
			boolean named = McpMethods.TOOLS_CALL.equals(this.method) || McpMethods.PROMPTS_GET.equals(this.method);
			return (named && this.target != null) ? this.name : null;
		}

	}

}
