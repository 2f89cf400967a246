package dev.atrium.mcp.transport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.transport.McpExchangeObserver.Outcome;

import org.springframework.web.server.ServerWebExchange;

/**
 * What the transport learns of one POST as it handles it, reported once to the observer
 * when the answer ends.
 */
final class ExchangeRecord {

	private final String scenario;

	private final McpExchangeObserver observer;

	private final long startNanos = System.nanoTime();

	private final AtomicBoolean reported = new AtomicBoolean();

	private final ServerWebExchange http;

	private volatile JsonRpcMessage message;

	private volatile String method;

	private volatile String name;

	private volatile String target;

	private volatile boolean answeredWithError;

	ExchangeRecord(String scenario, McpExchangeObserver observer, ServerWebExchange http) {
		this.scenario = scenario;
		this.observer = observer;
		this.http = http;
	}

	void message(JsonRpcMessage message) {
		this.message = message;
		this.method = message.isRequest() || message.kind() == JsonRpcMessage.Kind.NOTIFICATION ? message.method()
				: "response";
		this.name = switch (String.valueOf(this.method)) {
			case McpMethods.TOOLS_CALL, McpMethods.PROMPTS_GET -> message.stringParam("name");
			case McpMethods.RESOURCES_READ -> message.stringParam("uri");
			default -> null;
		};
	}

	void target(String target) {
		this.target = target;
	}

	/** Seen in the answer: the response carries an error rather than a result. */
	void answer(JsonRpcMessage message) {
		if (message.kind() == JsonRpcMessage.Kind.RESPONSE) {
			this.answeredWithError = message.node().has("error");
		}
	}

	/** The answer ended with this HTTP status. */
	void finish(int status) {
		Outcome outcome;
		if (status == 202) {
			outcome = Outcome.ACCEPTED;
		}
		else if (status == 403) {
			outcome = Outcome.DENIED;
		}
		else if (status >= 400) {
			outcome = Outcome.REJECTED;
		}
		else {
			outcome = this.answeredWithError ? Outcome.ERROR : Outcome.OK;
		}
		report(outcome, status);
	}

	void cancelled(int status) {
		report(Outcome.CANCELLED, status);
	}

	private void report(Outcome outcome, int status) {
		if (this.reported.compareAndSet(false, true)) {
			this.observer.completed(new McpExchangeObserver.Exchange(this.scenario, this.method, this.target, this.name,
					outcome, status, Duration.ofNanos(System.nanoTime() - this.startNanos), this.message, this.http));
		}
	}

}
