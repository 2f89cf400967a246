package dev.atrium.mcp.stream;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of one SSE event Atrium sends: its stream, then its place in that stream,
 * {@code <stream>.<sequence>}. The stream part starts with 128 random bits, so ids never
 * repeat within a client session (nor across sessions and replicas), and a
 * {@code Last-Event-ID} names the stream to resume and where in it (MCP 2025-11-25,
 * transports, "Resumability and Redelivery": ids unique across a session's streams and
 * encoding their stream). When replicas have addresses, the sealed address of the replica
 * that holds the stream follows the random bits (see {@link StreamIds}).
 *
 * @param stream the stream: 22 base64url characters, or more with a sealed address
 * @param sequence the place in the stream: 0 for the priming event, then 1, 2, ...
 */
public record EventId(String stream, long sequence) {

	private static final SecureRandom RANDOM = new SecureRandom();

	/** The length of a stream id that names no replica: 16 bytes in base64url. */
	static final int UNSEALED_LENGTH = 22;

	/**
	 * base64url never uses the dot, so it separates the parts unambiguously; the bound on
	 * length holds a sealed address of {@link StreamIds#MAX_ADDRESS_LENGTH}.
	 */
	private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{22,320})\\.(0|[1-9][0-9]{0,17})");

	public EventId {
		if (!FORMAT.matcher(stream + "." + sequence).matches()) {
			throw new IllegalArgumentException("not an event id: stream " + stream + ", sequence " + sequence);
		}
	}

	/** A stream id nobody has had. */
	public static String newStream() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The id as a client sees it and sends back. */
	public String encode() {
		return this.stream + "." + this.sequence;
	}

	/** The id a client sent, if it is one Atrium could have made. */
	public static Optional<EventId> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		var matcher = FORMAT.matcher(value.strip());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional.of(new EventId(matcher.group(1), Long.parseLong(matcher.group(2))));
	}

	@Override
	public String toString() {
		return encode();
	}

}
