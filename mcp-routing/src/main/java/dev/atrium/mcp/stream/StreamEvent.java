package dev.atrium.mcp.stream;

/**
 * One SSE event of a resumable stream.
 *
 * @param id its id
 * @param data one JSON-RPC message, or empty for the priming event that starts every
 * connection
 */
public record StreamEvent(EventId id, String data) {

	/** The event that starts a connection: an id to resume from, and no message. */
	public static StreamEvent priming(EventId id) {
		return new StreamEvent(id, "");
	}

	public boolean priming() {
		return this.data.isEmpty();
	}

}
