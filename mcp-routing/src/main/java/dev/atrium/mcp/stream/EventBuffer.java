package dev.atrium.mcp.stream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last events of one stream, at most a given number, oldest dropped first: what a
 * client that lost its connection may still be sent again. Not thread-safe; its stream
 * guards it.
 */
final class EventBuffer {

	private final int capacity;

	private final Deque<StreamEvent> events = new ArrayDeque<>();

	/** The sequence of the newest event appended, 0 before the first. */
	private long last;

	EventBuffer(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
		}
		this.capacity = capacity;
	}

	/** Appends the next event of the stream and returns it. */
	StreamEvent append(String stream, String data) {
		StreamEvent event = new StreamEvent(new EventId(stream, ++this.last), data);
		if (this.events.size() == this.capacity) {
			this.events.removeFirst();
		}
		this.events.addLast(event);
		return event;
	}

	/**
	 * The events after the given sequence, in order; empty when some of them were dropped
	 * already (replaying the rest would lose events silently) or the sequence is ahead of
	 * the stream.
	 */
	Optional<List<StreamEvent>> after(long sequence) {
		if (sequence > this.last) {
			return Optional.empty();
		}
		long oldestKept = this.events.isEmpty() ? this.last + 1 : this.events.peekFirst().id().sequence();
		if (sequence + 1 < oldestKept) {
			return Optional.empty();
		}
		return Optional.of(this.events.stream().filter((event) -> event.id().sequence() > sequence).toList());
	}

	long last() {
		return this.last;
	}

}
