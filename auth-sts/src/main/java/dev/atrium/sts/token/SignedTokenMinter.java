package dev.atrium.sts.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.sts.keys.StsKeyRing;

/**
 * Signs with the key ring's current key, ES256, with the given {@code typ}:
 * {@code at+jwt} for access tokens (RFC 9068 section 2.1).
 */
public final class SignedTokenMinter implements TokenMinter {

	/** RFC 9068 section 2.1. */
	public static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");

	private final StsKeyRing keys;

	private final JOSEObjectType type;

	public SignedTokenMinter(StsKeyRing keys, JOSEObjectType type) {
		this.keys = keys;
		this.type = type;
	}

	@Override
	public String mint(JWTClaimsSet claims) {
		ECKey key = this.keys.signingKey();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(this.type).keyID(key.getKeyID()).build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(new ECDSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign with STS key " + key.getKeyID(), ex);
		}
		return jwt.serialize();
	}

}
