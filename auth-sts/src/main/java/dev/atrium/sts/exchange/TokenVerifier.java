package dev.atrium.sts.exchange;

import reactor.core.publisher.Mono;

/**
 * Verifies a token presented to the STS against the issuers it trusts; the gateway
 * supplies the same verification its scenarios use.
 */
@FunctionalInterface
public interface TokenVerifier {

	/**
	 * The verified token, or an {@link InvalidTokenException} saying why it is not
	 * acceptable.
	 */
	Mono<VerifiedToken> verify(String token);

	/**
	 * A token that is not acceptable: bad signature, expired, revoked, unknown issuer.
	 */
	final class InvalidTokenException extends RuntimeException {

		public InvalidTokenException(String message) {
			super(message);
		}

		public InvalidTokenException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
