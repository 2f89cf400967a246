package dev.atrium.benchmarks.harness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.LocalJwksServer;
import dev.atrium.testsupport.OidcIssuer;

/**
 * The token issuer of a run: a local JWKS (test-support's {@link LocalJwksServer}) in the
 * harness, RS256, and one access token for the whole run that both gateways validate on
 * every request (signature, issuer, audience, expiry).
 */
final class Issuer implements AutoCloseable {

	static final String AUDIENCE = OidcIssuer.DEFAULT_AUDIENCE;

	private final LocalJwksServer server;

	private final OidcIssuer issuer;

	private final String token;

	Issuer(Duration tokenLifetime) {
		this.server = LocalJwksServer.start();
		this.issuer = OidcIssuer.start(this.server, Clock.systemUTC());
		// Longer than the run: a token that expires mid-run would turn the rest into
		// 401s.
		this.token = this.issuer.accessToken("bench-client", "mcp:read", "mcp:write")
			.expiresAt(Instant.now().plus(tokenLifetime))
			.sign();
	}

	String issuerUri() {
		return this.issuer.issuer();
	}

	String jwksUri() {
		return this.issuer.jwksUri().toString();
	}

	String token() {
		return this.token;
	}

	String algorithm() {
		return this.issuer.accessTokenKey().algorithm().getName();
	}

	@Override
	public void close() {
		this.server.close();
	}

}
