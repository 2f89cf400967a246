package dev.atrium.testsupport;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * A strict resource-server verifier built from Nimbus alone, the reference the hostile
 * cases' expectations are checked against: what {@link HostileTokens} documents a strict
 * gateway does.
 */
final class StrictVerifier {

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	private StrictVerifier(URI jwksUri, JWSAlgorithm algorithm, JOSEObjectType[] types,
			DefaultJWTClaimsVerifier<SecurityContext> claims) {
		JWKSource<SecurityContext> keys;
		try {
			// Nimbus's default 500 ms read timeout is too short on a loaded 2-core CI
			// machine.
			keys = JWKSourceBuilder
				.<SecurityContext>create(jwksUri.toURL(), new DefaultResourceRetriever(5_000, 5_000, 256 * 1024))
				.retrying(false)
				.build();
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException(ex);
		}
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys));
		this.processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
		this.processor.setJWTClaimsSetVerifier(claims);
	}

	/**
	 * Cognito: RS256, no typ (or JWT), iss exact, token_use=access, client_id allowed.
	 */
	static StrictVerifier forCognito(CognitoUserPool pool, Duration skew) {
		JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(pool.issuer()).claim("token_use", "access").build();
		ClockedClaims claims = new ClockedClaims(pool.clock(), skew, null, exact,
				Set.of("exp", "iat", "iss", "sub", "client_id", "token_use"), pool.defaultClientId());
		return new StrictVerifier(pool.jwksUri(), JWSAlgorithm.RS256, new JOSEObjectType[] { JOSEObjectType.JWT, null },
				claims);
	}

	/**
	 * A generic OIDC issuer: pinned algorithm, required typ, iss exact, aud required.
	 */
	static StrictVerifier forOidc(OidcIssuer issuer, Duration skew, String requiredType) {
		JWTClaimsSet exact = new JWTClaimsSet.Builder().issuer(issuer.issuer()).build();
		ClockedClaims claims = new ClockedClaims(issuer.clock(), skew, new HashSet<>(issuer.audiences()), exact,
				Set.of("exp", "iat", "iss", "sub", "aud"), null);
		JOSEObjectType[] types = (requiredType != null)
				? new JOSEObjectType[] { new JOSEObjectType(requiredType),
						new JOSEObjectType("application/" + requiredType) }
				: new JOSEObjectType[] { JOSEObjectType.JWT, null };
		return new StrictVerifier(issuer.jwksUri(), issuer.accessTokenKey().algorithm(), types, claims);
	}

	JWTClaimsSet verify(String token) throws Exception {
		return this.processor.process(token, null);
	}

	boolean accepts(String token) {
		try {
			verify(token);
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

	String failure(String token) {
		try {
			verify(token);
			return null;
		}
		catch (Exception ex) {
			return ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
	}

	/**
	 * Nimbus's claims verifier on an injected clock, plus what it lacks: iat not in the
	 * future beyond the skew, and a client allow-list.
	 */
	private static final class ClockedClaims extends DefaultJWTClaimsVerifier<SecurityContext> {

		private final Clock clock;

		private final String allowedClient;

		ClockedClaims(Clock clock, Duration skew, Set<String> audiences, JWTClaimsSet exact, Set<String> required,
				String allowedClient) {
			super(audiences, exact, required, null);
			this.clock = clock;
			this.allowedClient = allowedClient;
			setMaxClockSkew((int) skew.toSeconds());
		}

		@Override
		protected Date currentTime() {
			return Date.from(this.clock.instant());
		}

		@Override
		public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
			super.verify(claims, context);
			Date issuedAt = claims.getIssueTime();
			if (issuedAt.getTime() > currentTime().getTime() + getMaxClockSkew() * 1000L) {
				throw new BadJWTException("JWT issued in the future");
			}
			if (this.allowedClient != null && !this.allowedClient.equals(claims.getClaim("client_id"))) {
				throw new BadJWTException("Client not allowed");
			}
		}

	}

}
