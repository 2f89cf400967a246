package dev.atrium.testsupport;

import java.util.Objects;

/**
 * One attack (or boundary) case of {@link HostileTokens}.
 *
 * @param name a stable, unique, kebab-case name, usable as a test display name
 * @param token the compact token to send as {@code Authorization: Bearer {token}}
 * @param expected what the gateway must do with it
 * @param why what the case tests and why the expectation holds
 */
public record HostileToken(String name, String token, Expectation expected, String why) {

	public HostileToken {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(token, "token");
		Objects.requireNonNull(expected, "expected");
		Objects.requireNonNull(why, "why");
	}

	/**
	 * Whether the gateway must reject this token.
	 * @return {@code true} for {@link Expectation#REJECTED}
	 */
	public boolean mustBeRejected() {
		return this.expected == Expectation.REJECTED;
	}

	/**
	 * The length of the request header line that carries this token,
	 * {@code Authorization: Bearer {token}}. A server refuses a request whose headers
	 * exceed its limit (Spring Boot's {@code server.max-http-request-header-size}, 8 KB
	 * by default) with 431 before authentication runs: compare with that limit to know
	 * which answer to expect.
	 * @return the length in bytes (tokens are ASCII)
	 */
	public int authorizationHeaderLength() {
		return "Authorization: Bearer ".length() + this.token.length();
	}

	@Override
	public String toString() {
		return this.name;
	}

}
