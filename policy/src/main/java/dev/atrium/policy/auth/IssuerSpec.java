package dev.atrium.policy.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One trusted token issuer and the checks its tokens must pass.
 *
 * @param name the issuer's name in configuration
 * @param type the issuer's kind, which adds its own rules
 * @param issuer the exact {@code iss} value
 * @param jwksUri where its signing keys are, or {@code null} to derive it from the type
 * (Keycloak, Cognito) or discover it (OIDC)
 * @param algorithms the signature algorithms accepted (pinned; nothing else verifies)
 * @param audiences audiences of which a token must carry one; empty: not checked
 * @param clients clients ({@code client_id} or {@code azp}) of which a token must come
 * from one; empty: any
 * @param claims further conditions on claims
 * @param scopePrefix a prefix removed from scopes (Cognito's resource server id, e.g.
 * {@code atrium/}), so that policies name scopes plainly
 * @param requiredType the {@code typ} header tokens must carry (e.g. {@code at+jwt}), or
 * {@code null} to accept none, {@code JWT} and {@code at+jwt}
 * @param clockSkew how far {@code exp}, {@code nbf} and {@code iat} may be off
 * @param jwksCacheTtl how long fetched keys are kept
 * @param verifiedTokens how many tokens whose signature verified are remembered (see
 * {@link VerifiedTokenCache}); 0: none, every request verifies its token's signature
 * @param verifiedTokenTtl how long a verified token is remembered at most (never past its
 * {@code exp})
 */
public record IssuerSpec(String name, IssuerType type, String issuer, URI jwksUri, Set<String> algorithms,
		List<String> audiences, List<String> clients, List<ClaimRule> claims, String scopePrefix, String requiredType,
		Duration clockSkew, Duration jwksCacheTtl, int verifiedTokens, Duration verifiedTokenTtl) {

	/** An issuer that remembers no verified token. */
	public IssuerSpec(String name, IssuerType type, String issuer, URI jwksUri, Set<String> algorithms,
			List<String> audiences, List<String> clients, List<ClaimRule> claims, String scopePrefix,
			String requiredType, Duration clockSkew, Duration jwksCacheTtl) {
		this(name, type, issuer, jwksUri, algorithms, audiences, clients, claims, scopePrefix, requiredType, clockSkew,
				jwksCacheTtl, 0, Duration.ofMinutes(5));
	}

	public IssuerSpec {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(issuer, "issuer");
		algorithms = Set.copyOf(algorithms);
		if (algorithms.isEmpty()) {
			throw new IllegalArgumentException("issuer '" + name + "' needs at least one algorithm");
		}
		audiences = List.copyOf(audiences);
		clients = List.copyOf(clients);
		claims = List.copyOf(claims);
		Objects.requireNonNull(clockSkew, "clockSkew");
		Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
		Objects.requireNonNull(verifiedTokenTtl, "verifiedTokenTtl");
		if (verifiedTokens < 0) {
			throw new IllegalArgumentException(
					"issuer '" + name + "': verifiedTokens must be >= 0, was " + verifiedTokens);
		}
	}

	/** The JWKS location: configured, or where this type of issuer publishes it. */
	public URI resolvedJwksUri() {
		if (this.jwksUri != null) {
			return this.jwksUri;
		}
		String base = this.issuer.endsWith("/") ? this.issuer.substring(0, this.issuer.length() - 1) : this.issuer;
		return switch (this.type) {
			case COGNITO -> URI.create(base + "/.well-known/jwks.json");
			case KEYCLOAK -> URI.create(base + "/protocol/openid-connect/certs");
			default -> throw new IllegalStateException(
					"issuer '" + this.name + "' of type " + this.type + " needs a jwks-uri");
		};
	}

}
