package dev.atrium.policy.resilience;

import java.util.concurrent.TimeoutException;

import dev.atrium.mcp.client.TargetException;

/**
 * Which errors of a call are the target's fault, and which of those are worth another
 * attempt. A JSON-RPC error the target answers, or a tool result with {@code isError}, is
 * an answer, not an error of the call, and never gets here.
 */
final class TargetFailures {

	private TargetFailures() {
	}

	/** Whether the error counts against the target in its circuit breaker. */
	static boolean countsAgainstTarget(Throwable error) {
		if (error instanceof TargetException target) {
			return switch (target.fault()) {
				case UNREACHABLE, NO_FIRST_BYTE, WENT_SILENT, PROTOCOL, BROKEN -> true;
				// Other 4xx are the target judging the request, not failing.
				case HTTP_STATUS ->
					target.httpStatus() >= 500 || target.httpStatus() == 408 || target.httpStatus() == 429;
				case NOT_CALLED -> false;
			};
		}
		// Opening a session with the target on first use has its own time limit.
		return error instanceof TimeoutException;
	}

	/**
	 * Whether another attempt may succeed where this one failed; opening a session on
	 * first use may be tried again after its time limit.
	 */
	static boolean worthRetrying(Throwable error) {
		if (error instanceof TargetException target) {
			return target.worthAnotherAttempt();
		}
		return error instanceof TimeoutException;
	}

}
