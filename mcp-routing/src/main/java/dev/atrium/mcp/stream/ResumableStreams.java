package dev.atrium.mcp.stream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The SSE streams this replica sends to clients, kept so that a client whose connection
 * broke can resume with {@code GET} and {@code Last-Event-ID} (MCP 2025-11-25,
 * transports, "Resumability and Redelivery"). A stream is kept by the replica that opened
 * it; bounded in number, in events per stream and in time. A resumption of a stream kept
 * elsewhere is told which replica holds it, when its id says so (see {@link StreamIds}).
 */
public final class ResumableStreams {

	private final StreamSettings settings;

	private final Scheduler scheduler;

	private final Clock clock;

	private final StreamIds ids;

	/** How often, at most, the kept streams are swept for expired ones. */
	private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

	private final Map<String, ResumableStream> streams = new ConcurrentHashMap<>();

	private final AtomicReference<Instant> nextSweep = new AtomicReference<>(Instant.MIN);

	public ResumableStreams(StreamSettings settings) {
		this(settings, Schedulers.parallel(), Clock.systemUTC());
	}

	/**
	 * @param scheduler runs the timers that cancel a call whose client stayed away
	 * @param clock tells when an ended stream may be forgotten
	 */
	public ResumableStreams(StreamSettings settings, Scheduler scheduler, Clock clock) {
		this(settings, scheduler, clock, StreamIds.unsealed());
	}

	/**
	 * @param scheduler runs the timers that cancel a call whose client stayed away
	 * @param clock tells when an ended stream may be forgotten
	 * @param ids makes stream ids, and tells which replica holds a stream this one does
	 * not keep
	 */
	public ResumableStreams(StreamSettings settings, Scheduler scheduler, Clock clock, StreamIds ids) {
		this.settings = settings;
		this.scheduler = scheduler;
		this.clock = clock;
		this.ids = ids;
	}

	public StreamSettings settings() {
		return this.settings;
	}

	/**
	 * Starts relaying a target's messages as a new stream of the client session, and
	 * returns its first connection: a priming event, then the messages as they come.
	 * @param session the client's session id
	 * @param messages the messages, each one JSON-RPC message; subscribed to here, and
	 * cancelled when the client stays away longer than the resume window
	 */
	public Flux<StreamEvent> open(String session, Flux<String> messages) {
		forgetExpired();
		String id = this.ids.newStream();
		// Beyond the bound a stream is still relayed, only not resumable.
		boolean kept = this.streams.size() < this.settings.maxStreams() || forgetOldestEnded();
		ResumableStream stream = new ResumableStream(id, session, this.settings, this.scheduler, this.clock,
				() -> this.streams.remove(id));
		if (kept) {
			this.streams.put(id, stream);
		}
		Flux<StreamEvent> first = stream.attach(0).orElseThrow();
		stream.start(messages);
		return first;
	}

	/**
	 * Resumes a stream of the client session after the event the client got last.
	 * @param session the client's session id
	 * @param lastEventId the {@code Last-Event-ID} the client sent
	 */
	public Resumption resume(String session, String lastEventId) {
		forgetExpired();
		Optional<EventId> id = EventId.parse(lastEventId);
		if (id.isEmpty()) {
			return notAnEventId();
		}
		ResumableStream stream = this.streams.get(id.get().stream());
		if (stream == null) {
			return switch (this.ids.holder(id.get().stream())) {
				case StreamIds.Holder.Replica replica -> new Resumption.HeldElsewhere(replica.address(), id.get());
				// Refused before any connection: an id no replica made names nobody to
				// ask.
				case StreamIds.Holder.Unknown unknown -> notAnEventId();
				case StreamIds.Holder.Unnamed unnamed -> notKept(id.get());
				case StreamIds.Holder.This here -> notKept(id.get());
			};
		}
		// Another session's stream is as unknown as a stream that never was.
		if (!stream.session().equals(session) || stream.expired(this.clock.instant())) {
			return notKept(id.get());
		}
		return stream.attach(id.get().sequence())
			.<Resumption>map(Resumption.Resumed::new)
			.orElseGet(() -> new Resumption.Refused("Bad Request: the events after Last-Event-ID " + id.get()
					+ " are no longer all kept (at most " + this.settings.maxEventsPerStream()
					+ " per stream); the stream cannot be resumed without losing some"));
	}

	private static Resumption notAnEventId() {
		return new Resumption.Refused("Bad Request: Last-Event-ID is not an event id of this server");
	}

	private Resumption notKept(EventId id) {
		return new Resumption.Refused("Bad Request: no stream to resume for Last-Event-ID " + id
				+ ": it ended more than " + this.settings.resumeWindow()
				+ " ago, or was opened on another replica or in another session");
	}

	/** Ends every stream of a client session that ended, cancelling its calls. */
	public void endSession(String session) {
		this.streams.values().removeIf((stream) -> {
			if (!stream.session().equals(session)) {
				return false;
			}
			stream.cancel();
			return true;
		});
	}

	/** How many streams this replica keeps at the moment. */
	public int size() {
		return this.streams.size();
	}

	/**
	 * Forgets the ended streams past their window; at most once a second, so that a busy
	 * replica does not walk every kept stream on every request.
	 */
	private void forgetExpired() {
		Instant now = this.clock.instant();
		Instant due = this.nextSweep.get();
		if (now.isBefore(due) || !this.nextSweep.compareAndSet(due, now.plus(SWEEP_INTERVAL))) {
			return;
		}
		this.streams.values().removeIf((stream) -> stream.expired(now));
	}

	private boolean forgetOldestEnded() {
		return this.streams.values()
			.stream()
			.filter(ResumableStream::ended)
			.min(Comparator.comparing(ResumableStream::lastActive))
			.map((oldest) -> this.streams.remove(oldest.id(), oldest))
			.orElse(false);
	}

	/** What a client that resumes gets. */
	public sealed interface Resumption {

		/** The events it missed, then the live ones. */
		record Resumed(Flux<StreamEvent> events) implements Resumption {
		}

		/** A refusal, in words for the client. */
		record Refused(String reason) implements Resumption {
		}

		/**
		 * A stream another replica of the deployment holds: the resumption is for it to
		 * answer.
		 *
		 * @param holder the holder's address, never shown to the client
		 * @param id the event id the client resumes after
		 */
		record HeldElsewhere(URI holder, EventId id) implements Resumption {
		}

	}

}
