package dev.atrium.policy.auth;

/**
 * The kinds of token issuer Atrium trusts; each brings its own rules on top of the common
 * ones.
 */
public enum IssuerType {

	/** A Keycloak realm: access tokens carry {@code typ=Bearer} in their payload. */
	KEYCLOAK,

	/**
	 * An AWS Cognito user pool: only {@code token_use=access}, {@code client_id} instead
	 * of {@code aud}, JWKS at {@code {issuer}/.well-known/jwks.json}.
	 */
	COGNITO,

	/** Any OpenID Connect provider, discovered through its metadata. */
	OIDC,

	/** Atrium's own token service. */
	ATRIUM_STS,

	/** Atrium's JWT API keys for third parties. */
	API_KEY

}
