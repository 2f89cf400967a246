package dev.atrium.sts.exchange;

import java.util.Set;

/** What the STS answers a grant with: a token, or a refusal. */
public sealed interface ExchangeResult {

	/**
	 * A token was issued.
	 *
	 * @param accessToken the token
	 * @param issuedTokenType its type URI (RFC 8693 section 2.2.1)
	 * @param expiresIn its lifetime in seconds
	 * @param scopes its scopes
	 * @param jti its id, for the audit trail and revocation
	 */
	record Issued(String accessToken, String issuedTokenType, long expiresIn, Set<String> scopes,
			String jti) implements ExchangeResult {

		public Issued {
			scopes = Set.copyOf(scopes);
		}

		@Override
		public String toString() {
			return "Issued[jti=" + this.jti + ", scopes=" + this.scopes + ", expiresIn=" + this.expiresIn + "]";
		}

	}

	/**
	 * Nothing was issued.
	 *
	 * @param error why, in OAuth terms
	 */
	record Refused(StsError error) implements ExchangeResult {

	}

}
