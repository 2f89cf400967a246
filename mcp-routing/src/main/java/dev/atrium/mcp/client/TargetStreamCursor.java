package dev.atrium.mcp.client;

import java.time.Duration;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Where Atrium is in a target's answer to one request, for resuming it when the target
 * ends the connection before the answer (SEP-1699: a server may close a stream to have
 * its client poll): the last event id the target gave, the {@code retry} it asked for,
 * and whether the answer came. Each call has its own; one thread at a time touches it.
 */
final class TargetStreamCursor {

	/** How long to wait before reconnecting when the target gave no {@code retry}. */
	static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

	/** How many reconnections in a row may bring no message before Atrium gives up. */
	static final int MAX_QUIET_RECONNECTIONS = 3;

	private final JsonRpcMessage request;

	private String lastEventId;

	private Duration retry = DEFAULT_RETRY;

	private boolean answered;

	private int quietReconnections;

	TargetStreamCursor(JsonRpcMessage request) {
		this.request = request;
	}

	/** Takes note of an event as it arrives. */
	void saw(ServerSentEvent<String> event) {
		if (event.id() != null && !event.id().isBlank()) {
			this.lastEventId = event.id();
		}
		if (event.retry() != null) {
			this.retry = event.retry();
		}
		if (event.data() != null && !event.data().isBlank()) {
			this.quietReconnections = 0;
		}
	}

	/** Takes note of a message of the answer. */
	void saw(JsonRpcMessage message) {
		if (message.kind() == JsonRpcMessage.Kind.RESPONSE && message.id() != null
				&& message.id().equals(this.request.id())) {
			this.answered = true;
		}
	}

	/**
	 * Whether the stream that just ended is to be resumed: a request not answered yet,
	 * whose target gave an event id to resume from, and that has not reconnected in vain
	 * too often.
	 */
	boolean resumable() {
		return this.request.isRequest() && !this.answered && this.lastEventId != null
				&& this.quietReconnections < MAX_QUIET_RECONNECTIONS;
	}

	/** Counts one reconnection; to be called as it is made. */
	void reconnecting() {
		this.quietReconnections++;
	}

	String lastEventId() {
		return this.lastEventId;
	}

	Duration retry() {
		return this.retry;
	}

}
