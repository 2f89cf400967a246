package dev.atrium.mcp.jsonrpc;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * How much JSON a client message may carry, enforced by the parser as it reads so that a
 * hostile body costs no more than the limit: nesting depth (each level is a frame on the
 * stack when trees are built, copied and written) and digits in one number (parsing huge
 * numbers is quadratic). Strings need no limit of their own: the request body limit
 * already bounds them.
 *
 * @param maxNestingDepth the deepest nesting of objects and arrays, the message itself
 * being level 1
 * @param maxNumberLength the most characters in one number
 */
public record JsonLimits(int maxNestingDepth, int maxNumberLength) {

	/** Deep enough for any JSON Schema a tool takes, far below Jackson's 500. */
	public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

	/** A 64-bit integer has 20 characters, a double about 25. */
	public static final int DEFAULT_MAX_NUMBER_LENGTH = 100;

	public static final JsonLimits DEFAULT = new JsonLimits(DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_NUMBER_LENGTH);

	public JsonLimits {
		if (maxNestingDepth < 1) {
			throw new IllegalArgumentException("max nesting depth must be > 0, was " + maxNestingDepth);
		}
		if (maxNumberLength < 1) {
			throw new IllegalArgumentException("max number length must be > 0, was " + maxNumberLength);
		}
	}

	StreamReadConstraints constraints() {
		return StreamReadConstraints.builder()
			.maxNestingDepth(this.maxNestingDepth)
			.maxNumberLength(this.maxNumberLength)
			.build();
	}

	/**
	 * The parse error a client gets for a body over a limit, naming the limit. Jackson
	 * tells the limits apart only in its message.
	 */
	JsonRpcException exceeded(StreamConstraintsException ex) {
		String reason = String.valueOf(ex.getOriginalMessage());
		String message;
		if (reason.startsWith("Document nesting depth")) {
			message = "Parse error: the JSON is nested deeper than " + this.maxNestingDepth + " levels";
		}
		else if (reason.startsWith("Number value length")) {
			message = "Parse error: a number in the JSON is longer than " + this.maxNumberLength + " characters";
		}
		else {
			message = "Parse error: the JSON exceeds a parser limit";
		}
		return new JsonRpcException(JsonRpcError.PARSE_ERROR, message);
	}

}
