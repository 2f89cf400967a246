package dev.atrium.sts.exchange;

import java.util.Set;

/** The token type URIs of RFC 8693 section 3 that the STS takes and gives. */
public final class TokenTypes {

	public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";

	public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

	/**
	 * Subject and actor tokens: JWT access tokens. ID tokens are refused: they tell a
	 * client who signed in, they do not authorise anyone to act (RFC 9700 section 2.3).
	 */
	public static final Set<String> ACCEPTED = Set.of(ACCESS_TOKEN, JWT);

	/** What may be requested; both are the same signed JWT access token. */
	public static final Set<String> ISSUED = Set.of(ACCESS_TOKEN, JWT);

	private TokenTypes() {
	}

}
