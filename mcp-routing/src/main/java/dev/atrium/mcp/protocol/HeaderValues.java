package dev.atrium.mcp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The value encoding of the 2026-07-28 request headers ({@code Mcp-Name},
 * {@code Mcp-Param-*}): plain when the value is visible ASCII without leading or trailing
 * whitespace, otherwise {@code =?base64?<UTF-8 in Base64>?=} (streamable HTTP, "Value
 * Encoding").
 */
public final class HeaderValues {

	private static final String PREFIX = "=?base64?";

	private static final String SUFFIX = "?=";

	private HeaderValues() {
	}

	/** The value as a header carries it. */
	public static String encode(String value) {
		if (isPlain(value) && !isSentinel(value)) {
			return value;
		}
		return PREFIX + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
	}

	/**
	 * The value a header carries, decoded when it is in the Base64 sentinel; empty when
	 * the sentinel holds no valid Base64 or the plain value has characters a header may
	 * not have.
	 */
	public static Optional<String> decode(String header) {
		if (isSentinel(header)) {
			try {
				byte[] bytes = Base64.getDecoder()
					.decode(header.substring(PREFIX.length(), header.length() - SUFFIX.length()));
				return Optional.of(new String(bytes, StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				return Optional.empty();
			}
		}
		return header.chars().allMatch(HeaderValues::isFieldChar) ? Optional.of(header) : Optional.empty();
	}

	private static boolean isSentinel(String value) {
		return value.length() >= PREFIX.length() + SUFFIX.length() && value.startsWith(PREFIX)
				&& value.endsWith(SUFFIX);
	}

	private static boolean isPlain(String value) {
		return !value.isEmpty() && value.chars().allMatch((c) -> c >= 0x21 && c <= 0x7E || c == ' ')
				&& value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' ';
	}

	/** Visible ASCII, space and tab (RFC 9110, "Field Values"). */
	private static boolean isFieldChar(int c) {
		return (c >= 0x20 && c <= 0x7E) || c == '\t';
	}

}
