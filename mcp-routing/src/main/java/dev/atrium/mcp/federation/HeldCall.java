package dev.atrium.mcp.federation;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.protocol.RequestMeta;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A call of a 2026-07-28 client to a target of an older revision that asks the client
 * something ({@code elicitation/create}, {@code sampling/createMessage},
 * {@code roots/list}) on its stream. The 2026-07-28 client cannot take a request on the
 * stream: it is answered with an {@code InputRequiredResult} instead, while the target's
 * call stays open and its stream keeps being read; the client's retry, with
 * {@code inputResponses}, sends the answers to the target as responses to its requests
 * and relays what comes next. Each client request is one round: it ends with the target's
 * result, or with another {@code InputRequiredResult}.
 */
final class HeldCall {

	/** The requests a call may answer with an {@code InputRequiredResult}. */
	static final Set<String> METHODS = Set.of(McpMethods.TOOLS_CALL, McpMethods.PROMPTS_GET, McpMethods.RESOURCES_READ);

	/** What a client may be asked, by the capability it must have declared for it. */
	private static final Map<String, String> CAPABILITIES = Map.of(McpMethods.ELICITATION_CREATE, "elicitation",
			McpMethods.SAMPLING_CREATE_MESSAGE, "sampling", McpMethods.ROOTS_LIST, "roots");

	/** Notifications kept while no client is connected; the rest are dropped. */
	private static final int MAX_PENDING = 256;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String id;

	private final String caller;

	private final Target target;

	private final Holder holder;

	/** The target's requests the client has not answered yet, by the key it was given. */
	private final Map<String, JsonRpcMessage> asked = new LinkedHashMap<>();

	/** What the target sent while the client was away. */
	private final Deque<JsonRpcMessage> pending = new ArrayDeque<>();

	private int keys;

	private Round round;

	/** The client's latest request, whose capabilities decide what it may be asked. */
	private JsonRpcMessage latest;

	private Disposable reading;

	private boolean over;

	/** How the target's stream ended while the client was away, told at its retry. */
	private Throwable failure;

	HeldCall(String caller, Target target, Holder holder) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		this.id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.caller = caller;
		this.target = target;
		this.holder = holder;
	}

	String id() {
		return this.id;
	}

	String caller() {
		return this.caller;
	}

	Target target() {
		return this.target;
	}

	/**
	 * The first round: reads the target's answer, and relays it until its result or its
	 * first request to the client.
	 * @param messages the target's answer, read from now on whether a client is there or
	 * not
	 * @param request the client's request, as the client sent it
	 */
	Flux<JsonRpcMessage> start(Flux<JsonRpcMessage> messages, JsonRpcMessage request) {
		return Flux.defer(() -> {
			Flux<JsonRpcMessage> first = round(request);
			synchronized (this) {
				this.reading = messages.subscribe(this::accept, this::failed, this::ended);
			}
			return first;
		});
	}

	/**
	 * The answers of a retry, as the target's requests expect them: one JSON-RPC response
	 * per answered key, with the target's id. Answered keys are no longer asked.
	 */
	synchronized List<JsonRpcMessage> answers(JsonNode inputResponses) {
		List<JsonRpcMessage> responses = new ArrayList<>();
		if (inputResponses instanceof ObjectNode answers) {
			this.asked.entrySet().removeIf((entry) -> {
				JsonNode answer = answers.get(entry.getKey());
				if (!(answer instanceof ObjectNode result)) {
					return false;
				}
				responses.add(JsonRpcCodec.result(entry.getValue().id(), result));
				return true;
			});
		}
		return responses;
	}

	/**
	 * A round for a client's request: what the target sent while the client was away
	 * first, then what it sends, until its result or its next request to the client.
	 * Requests still unanswered are asked again at once.
	 */
	synchronized Flux<JsonRpcMessage> round(JsonRpcMessage request) {
		Round current = new Round(request, Sinks.many().unicast().onBackpressureBuffer());
		this.round = current;
		this.latest = request;
		while (!this.pending.isEmpty() && this.round == current) {
			handle(this.pending.poll());
		}
		if (this.round == current && this.failure != null) {
			this.round = null;
			finish();
			current.fail(this.failure);
		}
		else if (this.round == current && !this.asked.isEmpty()) {
			askClient(current);
		}
		return current.sink().asFlux().doOnCancel(() -> left(current));
	}

	/** A message of the target's stream. */
	private synchronized void accept(JsonRpcMessage message) {
		if (!this.over) {
			handle(message);
		}
	}

	private void handle(JsonRpcMessage message) {
		Round current = this.round;
		switch (message.kind()) {
			case REQUEST -> {
				if (!declared(message.method())) {
					this.target.refuse(message, "The client cannot be asked " + message.method()
							+ ": its request did not declare the capability (MCP 2026-07-28 multi round-trip)");
					return;
				}
				this.asked.put(key(message.method()), message);
				if (current != null) {
					askClient(current);
				}
			}
			case RESPONSE -> {
				if (current == null) {
					this.pending.add(message);
					return;
				}
				finish();
				ObjectNode answer = message.node().deepCopy();
				answer.set("id", current.request().id());
				current.end(new JsonRpcMessage(answer));
			}
			case NOTIFICATION -> {
				if (current != null) {
					current.sink().tryEmitNext(message);
				}
				else if (this.pending.size() < MAX_PENDING) {
					this.pending.add(message);
				}
			}
		}
	}

	/**
	 * Whether the client said, in its latest request, that it can answer the method. Only
	 * calls that may answer with an {@code InputRequiredResult} can ask at all.
	 */
	private boolean declared(String method) {
		String capability = CAPABILITIES.get(method);
		return capability != null && this.latest != null && METHODS.contains(this.latest.method())
				&& RequestMeta.of(this.latest).path(RequestMeta.CLIENT_CAPABILITIES).get(capability) != null;
	}

	private String key(String method) {
		return method.substring(0, method.indexOf('/')) + "-" + (++this.keys);
	}

	/**
	 * Ends the round with an {@code InputRequiredResult} of every request not answered
	 * yet, and holds the call for the client's retry.
	 */
	private void askClient(Round current) {
		this.round = null;
		String state = this.holder.hold(this, current.request());
		if (state == null) {
			finish();
			this.target.cancel("Atrium holds too many calls waiting for input");
			current.end(JsonRpcCodec.error(current.request().id(), new JsonRpcError(JsonRpcError.INTERNAL_ERROR,
					"The target asked for input, and Atrium holds too many calls waiting for input already")));
			return;
		}
		ObjectNode result = JsonRpcCodec.object();
		result.put("resultType", "input_required");
		ObjectNode requests = result.putObject("inputRequests");
		this.asked.forEach((key, asked) -> {
			ObjectNode request = requests.putObject(key);
			request.put("method", asked.method());
			request.set("params", asked.params());
		});
		result.put("requestState", state);
		current.end(JsonRpcCodec.result(current.request().id(), result));
	}

	/** The client left a round before its end: the target is told to stop. */
	private synchronized void left(Round current) {
		if (current.ended() || this.over) {
			return;
		}
		this.round = null;
		finish();
		this.target.cancel("The client left before the answer");
	}

	/** The answers of a retry could not be delivered: the target is told to stop. */
	synchronized void abandon(String reason) {
		if (this.over) {
			return;
		}
		finish();
		this.target.cancel(reason);
	}

	/** The client did not come back within the window: the target is told to stop. */
	synchronized void expire() {
		if (this.over || this.round != null) {
			return;
		}
		finish();
		this.target.cancel("The client did not come back with the input the target asked for");
	}

	/**
	 * The target's stream failed or ended: the client's round gets the error; a client
	 * that is away gets it, or the result that came before it, when it retries.
	 */
	private synchronized void failed(Throwable ex) {
		if (this.over || this.failure != null) {
			return;
		}
		if (this.round != null) {
			Round current = this.round;
			this.round = null;
			finish();
			current.fail(ex);
			return;
		}
		if (this.reading != null) {
			this.reading.dispose();
		}
		if (this.pending.stream().noneMatch((message) -> message.kind() == JsonRpcMessage.Kind.RESPONSE)) {
			this.failure = ex;
		}
	}

	private synchronized void ended() {
		failed(new JsonRpcException(JsonRpcError.TARGET_UNAVAILABLE, "The target closed the stream without answering"));
	}

	private void finish() {
		this.over = true;
		this.holder.release(this);
		if (this.reading != null) {
			this.reading.dispose();
		}
	}

	/** Where the call is held for the client's retry. */
	interface Holder {

		/**
		 * Holds the call until the client retries or the window passes.
		 * @return the {@code requestState} for the client, or {@code null} when no more
		 * calls can be held
		 */
		String hold(HeldCall call, JsonRpcMessage request);

		/** The call is over: no retry can reach it any more. */
		void release(HeldCall call);

	}

	/** The target's side of the call. */
	interface Target {

		/** The target's name, as the client's reply names it. */
		String name();

		/** Sends the target a response to one of its requests. */
		Mono<Void> answer(JsonRpcMessage response);

		/** Answers a target's request with an error, as a client that cannot. */
		void refuse(JsonRpcMessage request, String why);

		/** Tells the target to stop the call ({@code notifications/cancelled}). */
		void cancel(String reason);

	}

	/** One client request of the call and the answer it gets. */
	private static final class Round {

		private final JsonRpcMessage request;

		private final Sinks.Many<JsonRpcMessage> sink;

		private volatile boolean ended;

		Round(JsonRpcMessage request, Sinks.Many<JsonRpcMessage> sink) {
			this.request = request;
			this.sink = sink;
		}

		JsonRpcMessage request() {
			return this.request;
		}

		Sinks.Many<JsonRpcMessage> sink() {
			return this.sink;
		}

		boolean ended() {
			return this.ended;
		}

		void end(JsonRpcMessage last) {
			this.ended = true;
			this.sink.tryEmitNext(last);
			this.sink.tryEmitComplete();
		}

		void fail(Throwable ex) {
			this.ended = true;
			this.sink.tryEmitError(ex);
		}

	}

}
