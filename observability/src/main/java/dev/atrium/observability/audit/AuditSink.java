package dev.atrium.observability.audit;

import java.util.List;

/**
 * A networked sink the journal is shipped to, e.g. a Redis stream. Called from the
 * shipper's own thread, never from an event loop: it may block, up to its own timeout.
 */
public interface AuditSink extends AutoCloseable {

	/**
	 * Delivers events, in order, each a line of JSON.
	 * @throws Exception when they were not all delivered; the shipper sends them again
	 */
	void send(List<String> events) throws Exception;

	@Override
	default void close() {
	}

}
