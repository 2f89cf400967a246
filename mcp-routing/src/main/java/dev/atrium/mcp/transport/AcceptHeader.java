package dev.atrium.mcp.transport;

import java.util.List;

import org.springframework.http.MediaType;

/**
 * The {@code Accept} rules of the streamable HTTP transport: a POST must accept both JSON
 * and SSE. Wildcards count, as HTTP defines them, and so does a missing header.
 */
public final class AcceptHeader {

	private AcceptHeader() {
	}

	public static boolean acceptsJsonAndEventStream(List<MediaType> accepted) {
		return accepts(accepted, MediaType.APPLICATION_JSON) && accepts(accepted, MediaType.TEXT_EVENT_STREAM);
	}

	public static boolean acceptsEventStream(List<MediaType> accepted) {
		return accepts(accepted, MediaType.TEXT_EVENT_STREAM);
	}

	private static boolean accepts(List<MediaType> accepted, MediaType type) {
		return accepted.isEmpty() || accepted.stream().anyMatch((candidate) -> candidate.includes(type));
	}

}
