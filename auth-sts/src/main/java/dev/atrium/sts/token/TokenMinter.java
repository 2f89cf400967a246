package dev.atrium.sts.token;

import com.nimbusds.jwt.JWTClaimsSet;

/** Signs the claims the STS decided to issue. */
@FunctionalInterface
public interface TokenMinter {

	/** The signed token, in compact form. */
	String mint(JWTClaimsSet claims);

}
