package dev.atrium.sts.revocation;

import java.text.ParseException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.atrium.sts.client.StsClient;
import dev.atrium.sts.exchange.StsError;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.token.SignedTokenMinter;
import reactor.core.publisher.Mono;

/**
 * Token revocation (RFC 7009) for the STS's own tokens: a client revokes the tokens
 * issued to it, and their {@code jti} goes on the deny-list until they would expire.
 */
public final class TokenRevoker {

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	private final String issuer;

	private final RevocationList revocations;

	public TokenRevoker(StsKeyRing keys, String issuer, RevocationList revocations) {
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys.jwkSource()));
		this.processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(SignedTokenMinter.ACCESS_TOKEN,
				new JOSEObjectType("application/at+jwt")));
		// An expired token needs no revocation, but revoking it is not an error.
		this.processor.setJWTClaimsSetVerifier(null);
		this.issuer = issuer;
		this.revocations = revocations;
	}

	/** Empty when done, including for tokens that are not the STS's (RFC 7009 2.2). */
	public Mono<StsError> revoke(StsClient client, String token) {
		if (token == null || token.isBlank()) {
			return Mono.just(StsError.invalidRequest("the token parameter is required"));
		}
		JWTClaimsSet claims;
		try {
			claims = this.processor.process(token, null);
		}
		catch (ParseException | BadJOSEException | JOSEException ex) {
			// RFC 7009 section 2.2: an invalid token is not an error.
			return Mono.empty();
		}
		if (!this.issuer.equals(claims.getIssuer()) || claims.getJWTID() == null
				|| claims.getExpirationTime() == null) {
			return Mono.empty();
		}
		// RFC 7009 section 2.1: a client may only revoke the tokens issued to it.
		if (!client.id().equals(claims.getClaim("client_id"))) {
			return Mono.just(StsError.unauthorizedClient("the token was not issued to this client"));
		}
		return this.revocations.revoke(claims.getJWTID(), claims.getExpirationTime().toInstant()).then(Mono.empty());
	}

}
