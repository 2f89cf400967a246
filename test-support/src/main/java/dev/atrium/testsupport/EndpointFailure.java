package dev.atrium.testsupport;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LocalJwksServer} path misbehaves, to test that the gateway fails closed
 * when an issuer's JWKS or discovery endpoint does.
 */
public sealed interface EndpointFailure
		permits EndpointFailure.Status, EndpointFailure.Hang, EndpointFailure.Disconnect, EndpointFailure.Garbage {

	/**
	 * Answer HTTP 500 with a JSON error body.
	 * @return the failure
	 */
	static EndpointFailure serverError() {
		return new Status(500);
	}

	/**
	 * Answer the given status with a JSON error body.
	 * @param status the HTTP status
	 * @return the failure
	 */
	static EndpointFailure status(int status) {
		return new Status(status);
	}

	/**
	 * Hold the request for the given time, then answer normally (if the client still
	 * listens): a slow issuer, to test the gateway's fetch timeout. Closing the server
	 * releases held requests at once.
	 * @param delay how long to hold the request
	 * @return the failure
	 */
	static EndpointFailure hang(Duration delay) {
		return new Hang(delay);
	}

	/**
	 * Close the connection without writing a byte of response.
	 * @return the failure
	 */
	static EndpointFailure disconnect() {
		return new Disconnect();
	}

	/**
	 * Answer 200 with a body that is not JSON.
	 * @return the failure
	 */
	static EndpointFailure garbage() {
		return new Garbage();
	}

	/**
	 * An HTTP error status.
	 *
	 * @param status the status, 400 to 599
	 */
	record Status(int status) implements EndpointFailure {

		public Status {
			if (status < 400 || status > 599) {
				throw new IllegalArgumentException("Not an error status: " + status);
			}
		}

	}

	/**
	 * A delay before the normal answer.
	 *
	 * @param delay how long the request is held
	 */
	record Hang(Duration delay) implements EndpointFailure {

		public Hang {
			Objects.requireNonNull(delay, "delay");
			if (delay.isNegative()) {
				throw new IllegalArgumentException("Negative delay: " + delay);
			}
		}

	}

	/**
	 * The connection is closed before any response.
	 */
	record Disconnect() implements EndpointFailure {

	}

	/**
	 * A 200 answer with a body that does not parse as JSON.
	 */
	record Garbage() implements EndpointFailure {

	}

}
