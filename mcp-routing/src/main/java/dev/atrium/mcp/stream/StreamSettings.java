package dev.atrium.mcp.stream;

import java.time.Duration;

/**
 * How SSE streams to clients are kept for resumption on one replica.
 *
 * @param resumeWindow how long a call keeps running, and its events are kept, after its
 * client's connection broke; and how long the events of an ended stream stay available to
 * a client that reconnects
 * @param maxEventsPerStream how many of a stream's last events are kept for a client that
 * reconnects
 * @param maxStreams how many streams one replica keeps for resumption; beyond that the
 * ended streams that were active least recently are forgotten first
 * @param retry the reconnection delay sent to clients in the SSE {@code retry} field
 */
public record StreamSettings(Duration resumeWindow, int maxEventsPerStream, int maxStreams, Duration retry) {

	public static final StreamSettings DEFAULTS = new StreamSettings(Duration.ofSeconds(30), 1000, 10_000,
			Duration.ofSeconds(1));

	public StreamSettings {
		if (resumeWindow == null || resumeWindow.isNegative()) {
			throw new IllegalArgumentException("resumeWindow must be >= 0, was " + resumeWindow);
		}
		if (maxEventsPerStream < 1) {
			throw new IllegalArgumentException("maxEventsPerStream must be > 0, was " + maxEventsPerStream);
		}
		if (maxStreams < 1) {
			throw new IllegalArgumentException("maxStreams must be > 0, was " + maxStreams);
		}
		if (retry == null || retry.isNegative()) {
			throw new IllegalArgumentException("retry must be >= 0, was " + retry);
		}
	}

}
