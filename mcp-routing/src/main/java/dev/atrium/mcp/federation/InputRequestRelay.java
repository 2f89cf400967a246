package dev.atrium.mcp.federation;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.atrium.mcp.client.UpstreamReply;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.region.TargetLocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A 2026-07-28 target's {@code InputRequiredResult} for a client of an older revision,
 * which knows no such result but answers server requests: each input request goes to the
 * client as a request on the call's stream (its id made by {@link ServerRequestIds}, so
 * that the client's response comes back to this call), and once every one is answered the
 * target's request is retried with {@code inputResponses} and the target's
 * {@code requestState}, as the 2026-07-28 client would; again while the target asks. What
 * cannot be asked (a capability the client did not declare), a refusal, an error or no
 * answer within the window ends the call with a JSON-RPC error to the client.
 */
final class InputRequestRelay {

	/** How many times one call may ask before it is given up as a loop. */
	static final int MAX_ROUNDS = 16;

	private static final Map<String, String> CAPABILITIES = Map.of(McpMethods.ELICITATION_CREATE, "elicitation",
			McpMethods.SAMPLING_CREATE_MESSAGE, "sampling", McpMethods.ROOTS_LIST, "roots");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Duration window;

	/** The answers awaited, by the id the client was given. */
	private final Map<String, Sinks.One<JsonRpcMessage>> awaited = new ConcurrentHashMap<>();

	InputRequestRelay(Duration window) {
		this.window = window;
	}

	/** Whether the result asks for input (2026-07-28 multi round-trip requests). */
	static boolean asksInput(JsonRpcMessage message) {
		return message.kind() == JsonRpcMessage.Kind.RESPONSE
				&& "input_required".equals(message.node().path("result").path("resultType").asString(""));
	}

	/**
	 * Takes a client's response when it answers an input request relayed by this replica.
	 * @return whether it did
	 */
	boolean answered(JsonRpcMessage response) {
		JsonNode id = response.id();
		Sinks.One<JsonRpcMessage> waiting = (id != null && id.isString()) ? this.awaited.remove(id.asString()) : null;
		if (waiting == null) {
			return false;
		}
		waiting.tryEmitValue(response);
		return true;
	}

	/**
	 * The target's messages as the older client gets them.
	 * @param request the client's request as sent to the target, with the client's id
	 * @param capabilities what the client declared it can answer
	 * @param retry sends the target a retry and yields its answer
	 */
	Flux<JsonRpcMessage> relay(Flux<JsonRpcMessage> messages, JsonRpcMessage request, ObjectNode capabilities,
			TargetLocation location, Function<JsonRpcMessage, Mono<UpstreamReply>> retry) {
		return relay(messages, request, capabilities, location, retry, 1);
	}

	private Flux<JsonRpcMessage> relay(Flux<JsonRpcMessage> messages, JsonRpcMessage request, ObjectNode capabilities,
			TargetLocation location, Function<JsonRpcMessage, Mono<UpstreamReply>> retry, int round) {
		return messages.concatMap((message) -> {
			if (message.kind() != JsonRpcMessage.Kind.RESPONSE) {
				return Flux.just(message);
			}
			if (!asksInput(message)) {
				return Flux.just(withId(message, request.id()));
			}
			return ask(message, request, capabilities, location, round).concatMap((step) -> switch (step) {
				case Step.ToClient toClient -> Flux.just(toClient.message());
				case Step.Retry again -> retry.apply(again.request())
					.flatMapMany((reply) -> relay(reply.messages(), request, capabilities, location, retry, round + 1));
			});
		});
	}

	/**
	 * The client's part of one {@code InputRequiredResult}: the requests to the client,
	 * then the retry once answered, or an error.
	 */
	private Flux<Step> ask(JsonRpcMessage inputRequired, JsonRpcMessage request, ObjectNode capabilities,
			TargetLocation location, int round) {
		JsonNode result = inputRequired.node().path("result");
		if (round > MAX_ROUNDS) {
			return Flux.just(error(request, JsonRpcError.INTERNAL_ERROR,
					"The target asked for input more than " + MAX_ROUNDS + " times", "too-many-rounds"));
		}
		List<Asked> asked = new ArrayList<>();
		for (Map.Entry<String, JsonNode> entry : result.path("inputRequests").properties()) {
			String method = entry.getValue().path("method").asString("");
			String capability = CAPABILITIES.get(method);
			if (capability == null || !capabilities.has(capability)) {
				return Flux.just(error(request, JsonRpcError.INTERNAL_ERROR, "The target asked the client for " + method
						+ ", which the client did not declare it can answer", "undeclared-capability"));
			}
			String id = ServerRequestIds.encode(location.target(), location.region(),
					StringNode.valueOf("input." + randomId() + "." + entry.getKey()));
			ObjectNode params = (entry.getValue().get("params") instanceof ObjectNode given) ? given
					: JsonRpcCodec.object();
			asked.add(new Asked(entry.getKey(), id, JsonRpcCodec.request(id, method, params)));
		}
		return Flux.defer(() -> {
			Map<String, Sinks.One<JsonRpcMessage>> sinks = new ConcurrentHashMap<>();
			asked.forEach((one) -> {
				Sinks.One<JsonRpcMessage> sink = Sinks.one();
				sinks.put(one.id(), sink);
				this.awaited.put(one.id(), sink);
			});
			Flux<Step> toClient = Flux.fromIterable(asked).map((one) -> new Step.ToClient(one.request()));
			Mono<Step> answered = Flux.fromIterable(asked)
				.flatMap((one) -> sinks.get(one.id()).asMono().map((response) -> Map.entry(one.key(), response)))
				.collectList()
				.map((responses) -> next(inputRequired, request, responses, round))
				.timeout(this.window)
				.onErrorResume(TimeoutException.class, (ex) -> Mono.just(error(request, JsonRpcError.INTERNAL_ERROR,
						"The client did not answer the target's requests within " + this.window, "timeout")));
			return toClient.concatWith(answered);
		}).doFinally((signal) -> asked.forEach((one) -> this.awaited.remove(one.id())));
	}

	/** The retry with every answer, or the client's refusal as an error. */
	private static Step next(JsonRpcMessage inputRequired, JsonRpcMessage request,
			List<Map.Entry<String, JsonRpcMessage>> responses, int round) {
		ObjectNode params = request.params().deepCopy();
		ObjectNode inputResponses = params.putObject("inputResponses");
		for (Map.Entry<String, JsonRpcMessage> response : responses) {
			if (!(response.getValue().node().get("result") instanceof ObjectNode answer)) {
				String why = response.getValue().node().path("error").path("message").asString("no result");
				return error(request, JsonRpcError.INTERNAL_ERROR,
						"The client did not answer the target's request: " + why, "client-error");
			}
			inputResponses.set(response.getKey(), answer);
		}
		JsonNode state = inputRequired.node().path("result").get("requestState");
		if (state != null && state.isString()) {
			params.set("requestState", state);
		}
		// A retry is a new request: its id differs from the first (multi round-trip
		// requests, "Client Requirements").
		JsonRpcMessage retry = JsonRpcCodec.request(
				StringNode.valueOf("atrium-retry-" + round + "-"
						+ (request.id().isString() ? request.id().asString() : request.id().toString())),
				request.method(), params);
		return new Step.Retry(retry);
	}

	private static Step error(JsonRpcMessage request, int code, String message, String reason) {
		JsonRpcMessage error = JsonRpcCodec.error(request.id(), new JsonRpcError(code, message));
		((ObjectNode) error.node().get("error")).putObject("data").put("reason", reason);
		return new Step.ToClient(error);
	}

	private static JsonRpcMessage withId(JsonRpcMessage response, JsonNode id) {
		if (id == null || id.equals(response.id())) {
			return response;
		}
		ObjectNode node = response.node().deepCopy();
		node.set("id", id);
		return new JsonRpcMessage(node);
	}

	private static String randomId() {
		byte[] bytes = new byte[12];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private record Asked(String key, String id, JsonRpcMessage request) {
	}

	/** What one input round leads to. */
	private sealed interface Step {

		/** A message for the client: a request to answer, or the error that ends it. */
		record ToClient(JsonRpcMessage message) implements Step {
		}

		/** The target's request again, with the client's answers. */
		record Retry(JsonRpcMessage request) implements Step {
		}

	}

}
