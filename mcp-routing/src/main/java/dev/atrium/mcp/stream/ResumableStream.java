package dev.atrium.mcp.stream;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * One SSE stream to a client that outlives the client's connection: the target's messages
 * are taken as they come, numbered and kept (the last ones), and sent to the connection
 * attached at the moment; a client that reconnects with the id of the last event it got
 * is sent what it missed, then the rest live. Nobody attached for the resume window, and
 * the upstream call is cancelled.
 */
final class ResumableStream {

	private static final Logger logger = LoggerFactory.getLogger(ResumableStream.class);

	private final String id;

	private final String session;

	private final StreamSettings settings;

	private final Scheduler scheduler;

	private final Clock clock;

	private final Runnable forget;

	private final EventBuffer buffer;

	private Disposable upstream;

	/** The client's connection at the moment, if any. */
	private Connection connection;

	/**
	 * Changes whenever a connection comes or goes, so that a stale timer does nothing.
	 */
	private long generation;

	private boolean ended;

	private Instant lastActive;

	ResumableStream(String id, String session, StreamSettings settings, Scheduler scheduler, Clock clock,
			Runnable forget) {
		this.id = id;
		this.session = session;
		this.settings = settings;
		this.scheduler = scheduler;
		this.clock = clock;
		this.forget = forget;
		this.buffer = new EventBuffer(settings.maxEventsPerStream());
		this.lastActive = clock.instant();
	}

	String id() {
		return this.id;
	}

	String session() {
		return this.session;
	}

	/** Starts taking the target's messages; call once, after the first attach. */
	void start(Flux<String> messages) {
		Disposable subscription = messages.subscribe(this::emit, this::failed, this::complete);
		synchronized (this) {
			this.upstream = subscription;
		}
	}

	/**
	 * A connection that gets a priming event, the events after the given one, and then
	 * the live ones; empty when the events after it are no longer all kept. A connection
	 * attached before is ended: a message goes to one connection only.
	 */
	synchronized Optional<Flux<StreamEvent>> attach(long after) {
		Optional<List<StreamEvent>> missed = this.buffer.after(after);
		if (missed.isEmpty()) {
			return Optional.empty();
		}
		if (this.connection != null) {
			this.connection.sink().tryEmitComplete();
		}
		// Room for what is replayed, and for as many live events as are kept: a client
		// slower than that is disconnected and resumes from the buffer.
		Connection attached = new Connection(Sinks.many()
			.unicast()
			.onBackpressureBuffer(Queues.<StreamEvent>get(this.settings.maxEventsPerStream() + 1).get()));
		this.connection = attached;
		this.lastActive = this.clock.instant();
		attached.sink().tryEmitNext(StreamEvent.priming(new EventId(this.id, after)));
		missed.get().forEach(attached.sink()::tryEmitNext);
		if (this.ended) {
			attached.sink().tryEmitComplete();
			this.connection = null;
		}
		else {
			// A connection nobody subscribes to (the client left before its response
			// was written) counts as none.
			abandonLater();
		}
		return Optional.of(attached.sink()
			.asFlux()
			.doOnSubscribe((subscription) -> attached.subscribed = true)
			.doOnCancel(() -> detach(attached)));
	}

	/** Whether the stream ended and nobody may need it any more. */
	synchronized boolean expired(Instant now) {
		return this.ended && this.connection == null
				&& !now.isBefore(this.lastActive.plus(this.settings.resumeWindow()));
	}

	synchronized boolean ended() {
		return this.ended;
	}

	synchronized Instant lastActive() {
		return this.lastActive;
	}

	/** Ends the stream now, cancelling the upstream call if it still runs. */
	synchronized void cancel() {
		if (!this.ended) {
			this.ended = true;
			if (this.upstream != null) {
				this.upstream.dispose();
			}
		}
		if (this.connection != null) {
			this.connection.sink().tryEmitComplete();
			this.connection = null;
		}
	}

	private synchronized void emit(String data) {
		StreamEvent event = this.buffer.append(this.id, data);
		this.lastActive = this.clock.instant();
		if (this.connection != null && this.connection.sink().tryEmitNext(event).isFailure()) {
			// Too slow a client: its connection ends, without ending the stream, and it
			// reconnects for the rest (the polling of SEP-1699).
			logger.debug("Stream {}: the client's connection fell behind; it is closed for the client to resume",
					this.id);
			this.connection.sink().tryEmitComplete();
			this.connection = null;
			abandonLater();
		}
	}

	private void failed(Throwable ex) {
		logger.debug("Stream {}: the target's messages ended with an error: {}", this.id, ex.toString());
		complete();
	}

	private synchronized void complete() {
		this.ended = true;
		this.lastActive = this.clock.instant();
		this.generation++;
		if (this.connection != null) {
			this.connection.sink().tryEmitComplete();
			this.connection = null;
		}
	}

	private synchronized void detach(Connection detached) {
		if (this.connection != detached) {
			return;
		}
		this.connection = null;
		this.lastActive = this.clock.instant();
		if (!this.ended) {
			abandonLater();
		}
	}

	private void abandonLater() {
		long current = ++this.generation;
		this.scheduler.schedule(() -> abandonIfAway(current), this.settings.resumeWindow().toNanos(),
				TimeUnit.NANOSECONDS);
	}

	private void abandonIfAway(long scheduledAt) {
		synchronized (this) {
			boolean away = this.connection == null || !this.connection.subscribed;
			if (this.generation != scheduledAt || this.ended || !away) {
				return;
			}
			logger.debug("Stream {}: the client did not come back within {}; the call is cancelled", this.id,
					this.settings.resumeWindow());
			cancel();
		}
		this.forget.run();
	}

	private static final class Connection {

		private final Sinks.Many<StreamEvent> sink;

		private volatile boolean subscribed;

		Connection(Sinks.Many<StreamEvent> sink) {
			this.sink = sink;
		}

		Sinks.Many<StreamEvent> sink() {
			return this.sink;
		}

	}

}
