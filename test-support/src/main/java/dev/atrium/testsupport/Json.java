package dev.atrium.testsupport;

import java.util.Arrays;
import java.util.Map;

/**
 * A minimal JSON writer. Tokens and documents are written by hand rather than through a
 * library so that member order is exactly insertion order (issuers publish their claims
 * in a fixed order and tests compare against it) and nothing is escaped that the issuer
 * would not escape (Gson, for one, escapes {@code =} by default, which Cognito key ids
 * end with).
 */
final class Json {

	private Json() {
	}

	/**
	 * Writes a value made of {@link Map maps} with string keys, {@link Iterable
	 * iterables}, arrays of objects, strings, numbers, booleans and {@code null}.
	 * @param value the value
	 * @return its compact JSON text
	 */
	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		write(value, out);
		return out.toString();
	}

	private static void write(Object value, StringBuilder out) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof CharSequence text) {
			string(text, out);
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				string(String.valueOf(entry.getKey()), out);
				out.append(':');
				write(entry.getValue(), out);
			}
			out.append('}');
		}
		else if (value instanceof Iterable<?> items) {
			array(items, out);
		}
		else if (value instanceof Object[] items) {
			array(Arrays.asList(items), out);
		}
		else {
			string(value.toString(), out);
		}
	}

	private static void array(Iterable<?> items, StringBuilder out) {
		out.append('[');
		boolean first = true;
		for (Object item : items) {
			if (!first) {
				out.append(',');
			}
			first = false;
			write(item, out);
		}
		out.append(']');
	}

	private static void string(CharSequence text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
