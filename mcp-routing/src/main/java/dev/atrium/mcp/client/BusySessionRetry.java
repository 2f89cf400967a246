package dev.atrium.mcp.client;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * Sends a request again, after a pause, while the target answers that its session is busy
 * with another operation: AgentCore Runtime's JSON-RPC error {@value #BUSY_CODE}
 * ("session operation in progress"), which it gives without running the request. The code
 * is in JSON-RPC's range for servers' own errors, so only targets known to mean this by
 * it are retried. A streamed answer is never retried; when the retries run out, the last
 * busy answer is the caller's.
 *
 * @param retries how many times a request is sent again; 0: never
 * @param firstPause the pause before the first retry, doubled each time, with jitter
 * @param longestPause the longest pause
 */
public record BusySessionRetry(int retries, Duration firstPause, Duration longestPause) {

	/** The JSON-RPC error code of a busy session. */
	public static final int BUSY_CODE = -32005;

	/** No retries: the answer goes to the caller as it is. */
	public static final BusySessionRetry NONE = new BusySessionRetry(0, Duration.ZERO, Duration.ZERO);

	/** AgentCore Runtime: four retries over about three seconds. */
	public static final BusySessionRetry AGENTCORE = new BusySessionRetry(4, Duration.ofMillis(200),
			Duration.ofSeconds(2));

	/** The call, sent again while its answer says the session is busy. */
	Mono<UpstreamReply> around(Supplier<Mono<UpstreamReply>> call) {
		if (this.retries <= 0) {
			return call.get();
		}
		return Mono.defer(call)
			.flatMap(BusySessionRetry::unlessBusy)
			.retryWhen(Retry.backoff(this.retries, this.firstPause)
				.maxBackoff(this.longestPause)
				.jitter(0.5)
				.filter(Busy.class::isInstance)
				.onRetryExhaustedThrow((spec, signal) -> signal.failure()))
			.onErrorResume(Busy.class, (busy) -> Mono.just(new UpstreamReply(false, Flux.fromIterable(busy.answer))));
	}

	/**
	 * A JSON answer read whole: one response, which tells whether the session was busy.
	 */
	private static Mono<UpstreamReply> unlessBusy(UpstreamReply reply) {
		if (reply.streamed()) {
			return Mono.just(reply);
		}
		return reply.messages()
			.collectList()
			.flatMap((messages) -> busy(messages) ? Mono.error(new Busy(messages))
					: Mono.just(new UpstreamReply(false, Flux.fromIterable(messages))));
	}

	private static boolean busy(List<JsonRpcMessage> messages) {
		return messages.stream()
			.filter((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE)
			.map((message) -> message.node().path("error").path("code"))
			.anyMatch((code) -> code instanceof JsonNode node && node.isIntegralNumber() && node.asInt() == BUSY_CODE);
	}

	/** A busy answer, carried to the retry and, when they run out, back to the caller. */
	private static final class Busy extends RuntimeException {

		private final transient List<JsonRpcMessage> answer;

		Busy(List<JsonRpcMessage> answer) {
			super("the target's session is busy", null, false, false);
			this.answer = answer;
		}

	}

}
