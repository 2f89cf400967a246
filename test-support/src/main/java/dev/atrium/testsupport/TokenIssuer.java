package dev.atrium.testsupport;

import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * A local token issuer as {@link HostileTokens} sees it: an issuer identifier, a
 * published key set, and a valid access token to start each attack from.
 */
public interface TokenIssuer {

	/**
	 * The issuer identifier, exactly as the {@code iss} claim carries it.
	 * @return the issuer
	 */
	String issuer();

	/**
	 * Where the issuer publishes its JWKS.
	 * @return the JWKS URI
	 */
	URI jwksUri();

	/**
	 * The clock the issuer stamps tokens with.
	 * @return the clock
	 */
	Clock clock();

	/**
	 * The key access tokens are signed with now.
	 * @return the current access-token key
	 */
	SigningKey accessTokenKey();

	/**
	 * Keys once published and since removed from the JWKS, oldest first.
	 * @return the retired keys
	 */
	List<SigningKey> retiredKeys();

	/**
	 * A builder holding an access token the gateway must accept: right issuer, audience
	 * (where the issuer uses one), type, key and times. Each call returns a new builder.
	 * @return the builder
	 */
	TokenBuilder validAccessToken();

}
