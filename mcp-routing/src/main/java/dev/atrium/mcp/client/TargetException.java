package dev.atrium.mcp.client;

import java.time.Duration;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;

/**
 * A target could not be reached, failed, or answered something that is not MCP. The
 * message names the target so that a client knows which one; the fault says what went
 * wrong, so that policies can judge the target without reading messages.
 */
public class TargetException extends JsonRpcException {

	private final String target;

	private final String reason;

	private final Fault fault;

	private final int httpStatus;

	public TargetException(String target, int code, String reason, Fault fault) {
		this(target, code, reason, fault, 0);
	}

	private TargetException(String target, int code, String reason, Fault fault, int httpStatus) {
		super(code, "Target '" + target + "' " + reason);
		this.target = target;
		this.reason = reason;
		this.fault = fault;
		this.httpStatus = httpStatus;
	}

	/** The target answered, but not as an MCP server does. */
	public static TargetException unavailable(String target, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_UNAVAILABLE, reason, Fault.PROTOCOL);
	}

	/** No connection could be made, or it closed before the target answered. */
	public static TargetException unreachable(String target, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_UNAVAILABLE, reason, Fault.UNREACHABLE);
	}

	/** The connection broke for another reason. */
	public static TargetException broken(String target, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_UNAVAILABLE, reason, Fault.BROKEN);
	}

	/** The target answered with an HTTP error status and no JSON-RPC error. */
	public static TargetException httpStatus(String target, int status, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_UNAVAILABLE, reason, Fault.HTTP_STATUS, status);
	}

	/**
	 * Atrium could not get the credentials it sends to the target, so it did not call it.
	 */
	public static TargetException noCredentials(String target, String reason) {
		return new TargetException(target, JsonRpcError.TARGET_UNAVAILABLE, reason, Fault.NOT_CALLED);
	}

	/** The target did not begin its answer in time. */
	public static TargetException noFirstByte(String target, Duration limit) {
		return new TargetException(target, JsonRpcError.TARGET_TIMEOUT,
				"sent no answer within " + limit.toMillis() + " ms", Fault.NO_FIRST_BYTE);
	}

	/** The target began its answer, then sent nothing for too long. */
	public static TargetException wentSilent(String target, Duration limit) {
		return new TargetException(target, JsonRpcError.TARGET_TIMEOUT,
				"went silent for " + limit.toMillis() + " ms in the middle of its answer", Fault.WENT_SILENT);
	}

	/** The same failure, saying how many attempts ended in it. */
	public TargetException afterAttempts(int attempts) {
		return new TargetException(this.target, error().code(), this.reason + " (" + attempts + " attempts)",
				this.fault, this.httpStatus);
	}

	/**
	 * Whether another attempt, at this endpoint or another, may succeed where this one
	 * failed: the target was not reached, did not begin to answer, or said it could not
	 * answer now. A 429 is not: the target asked for less traffic.
	 */
	public boolean worthAnotherAttempt() {
		return switch (this.fault) {
			case UNREACHABLE, NO_FIRST_BYTE, BROKEN -> true;
			case HTTP_STATUS -> switch (this.httpStatus) {
				case 500, 502, 503, 504 -> true;
				default -> false;
			};
			case WENT_SILENT, PROTOCOL, NOT_CALLED -> false;
		};
	}

	public String target() {
		return this.target;
	}

	public Fault fault() {
		return this.fault;
	}

	/** The HTTP status of a {@link Fault#HTTP_STATUS} fault, otherwise 0. */
	public int httpStatus() {
		return this.httpStatus;
	}

	/** What went wrong with a target. */
	public enum Fault {

		/** No connection, or the connection closed before the target answered. */
		UNREACHABLE,

		/** The target did not begin its answer within the first-byte limit. */
		NO_FIRST_BYTE,

		/** The target began its answer, then sent nothing within the idle limit. */
		WENT_SILENT,

		/** The target answered with an HTTP error status and no JSON-RPC error. */
		HTTP_STATUS,

		/** The target answered something that is not MCP. */
		PROTOCOL,

		/** The connection failed in another way. */
		BROKEN,

		/** Atrium did not call the target: a policy held the call back. */
		NOT_CALLED

	}

}
