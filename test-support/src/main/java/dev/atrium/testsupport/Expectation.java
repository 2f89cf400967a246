package dev.atrium.testsupport;

/**
 * What the gateway must do with a {@link HostileToken}.
 */
public enum Expectation {

	/**
	 * Authenticate the request: the token is valid, at a boundary the gateway must not
	 * over-tighten (a clock-skew edge, an extra claim). A 401 here is a bug too.
	 */
	ACCEPTED,

	/**
	 * Answer {@value #REJECTED_STATUS} with
	 * {@code WWW-Authenticate: Bearer error="invalid_token"}, never a 5xx, and fetch
	 * nothing from hosts the token names.
	 */
	REJECTED;

	/** The HTTP status of a rejection. */
	public static final int REJECTED_STATUS = 401;

	/** The RFC 6750 error code of a rejection. */
	public static final String REJECTED_ERROR = "invalid_token";

}
