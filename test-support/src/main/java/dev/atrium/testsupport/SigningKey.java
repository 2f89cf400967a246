package dev.atrium.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

/**
 * An asymmetric signing key of a local issuer (or of an attacker): its private half signs
 * tokens, its public half is what a {@link LocalJwksServer} publishes.
 *
 * <p>
 * Only the two algorithms the gateway's issuers use are made: RS256 with 2048-bit RSA
 * keys (Cognito, Keycloak's default) and ES256 with P-256 keys. Key generation uses the
 * JDK's {@code SecureRandom}; nothing here reads the time.
 */
public final class SigningKey {

	private final String kid;

	private final JWSAlgorithm algorithm;

	private final JWK privateJwk;

	private SigningKey(String kid, JWSAlgorithm algorithm, JWK privateJwk) {
		this.kid = Objects.requireNonNull(kid, "kid");
		this.algorithm = algorithm;
		this.privateJwk = privateJwk;
	}

	/**
	 * A new 2048-bit RSA key for RS256.
	 * @param kid the key id it is published under
	 * @return the key
	 */
	public static SigningKey rsa(String kid) {
		try {
			return new SigningKey(kid, JWSAlgorithm.RS256, new RSAKeyGenerator(2048).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A new 2048-bit RSA key for RS256 whose key id is derived as Cognito's look: the
	 * standard (not URL-safe) Base64 of a SHA-256 digest, 44 characters ending in
	 * {@code =}, which may contain {@code +} and {@code /}.
	 * @return the key
	 * @see #cognitoStyleKid(PublicKey)
	 */
	public static SigningKey rsaWithCognitoStyleKid() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).generate();
			return new SigningKey(cognitoStyleKid(key.toPublicKey()), JWSAlgorithm.RS256, key);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A new 2048-bit RSA key for RS256 whose key id is its RFC 7638 thumbprint, as
	 * Keycloak and many OIDC providers name keys.
	 * @return the key
	 */
	public static SigningKey rsaWithThumbprintKid() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).generate();
			return new SigningKey(key.computeThumbprint().toString(), JWSAlgorithm.RS256, key);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A new P-256 key for ES256.
	 * @param kid the key id it is published under
	 * @return the key
	 */
	public static SigningKey ec256(String kid) {
		try {
			return new SigningKey(kid, JWSAlgorithm.ES256, new ECKeyGenerator(Curve.P_256).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A new P-256 key for ES256 whose key id is its RFC 7638 thumbprint.
	 * @return the key
	 */
	public static SigningKey ec256WithThumbprintKid() {
		try {
			ECKey key = new ECKeyGenerator(Curve.P_256).generate();
			return new SigningKey(key.computeThumbprint().toString(), JWSAlgorithm.ES256, key);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A new key of the same type and algorithm as this one, under the given key id: the
	 * attacker's key that claims to be this one.
	 * @param kid the key id it claims
	 * @return the key
	 */
	public SigningKey sameTypeWithKid(String kid) {
		return (this.algorithm == JWSAlgorithm.ES256) ? ec256(kid) : rsa(kid);
	}

	/**
	 * A Cognito-looking key id for a public key: standard Base64 of the SHA-256 of its
	 * DER encoding. AWS documents the key id only as an opaque value (its examples are
	 * {@code "1234example="}); the 44-character, padded, standard-alphabet shape is what
	 * real user pools publish, the derivation is ours.
	 * @param publicKey the key
	 * @return the key id
	 */
	public static String cognitoStyleKid(PublicKey publicKey) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The key id.
	 * @return the key id
	 */
	public String kid() {
		return this.kid;
	}

	/**
	 * The algorithm this key signs with by default.
	 * @return RS256 or ES256
	 */
	public JWSAlgorithm algorithm() {
		return this.algorithm;
	}

	/**
	 * The public key as a Nimbus JWK, with {@code kid}, {@code alg} and {@code use=sig}.
	 * @return the public JWK
	 */
	public JWK publicJwk() {
		try {
			return JWK.parse(publicJwkJson());
		}
		catch (ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The public JWK as published, members in the order of AWS's sample {@code jwks.json}
	 * ({@code kid}, {@code alg}, {@code kty}, {@code e}, {@code n}, {@code use}) for RSA
	 * keys, and {@code kid}, {@code alg}, {@code kty}, {@code crv}, {@code x}, {@code y},
	 * {@code use} for EC keys.
	 * @return the JWK members
	 */
	public Map<String, Object> publicJwkMembers() {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("kid", this.kid);
		members.put("alg", this.algorithm.getName());
		if (this.privateJwk instanceof RSAKey rsa) {
			members.put("kty", "RSA");
			members.put("e", rsa.getPublicExponent().toString());
			members.put("n", rsa.getModulus().toString());
		}
		else {
			ECKey ec = (ECKey) this.privateJwk;
			members.put("kty", "EC");
			members.put("crv", ec.getCurve().getName());
			members.put("x", ec.getX().toString());
			members.put("y", ec.getY().toString());
		}
		members.put("use", "sig");
		return members;
	}

	/**
	 * The public JWK as JSON text.
	 * @return the JSON
	 */
	public String publicJwkJson() {
		return Json.write(publicJwkMembers());
	}

	/**
	 * The public key, X.509 SubjectPublicKeyInfo DER: one of the byte strings a
	 * key-confusion attack uses as an HMAC secret.
	 * @return the DER bytes
	 */
	public byte[] publicKeyDer() {
		return publicKey().getEncoded();
	}

	/**
	 * The public key as a PEM {@code PUBLIC KEY} block with 64-character lines and a
	 * trailing newline, as {@code openssl} writes it: the other byte string a
	 * key-confusion attack uses as an HMAC secret.
	 * @return the PEM text
	 */
	public String publicKeyPem() {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(publicKeyDer());
		return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
	}

	/**
	 * The public key.
	 * @return the public key
	 */
	public PublicKey publicKey() {
		try {
			return (this.privateJwk instanceof RSAKey rsa) ? rsa.toPublicKey()
					: ((ECKey) this.privateJwk).toPublicKey();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Signs a JWS signing input with the given algorithm.
	 * @param algorithm an algorithm this key can sign with (any RSASSA or RSASSA-PSS one
	 * for RSA keys, ES256 for P-256 keys)
	 * @param signingInput {@code base64url(header) '.' base64url(payload)} as ASCII
	 * @return the signature
	 */
	Base64URL sign(JWSAlgorithm algorithm, byte[] signingInput) {
		try {
			JWSSigner signer = (this.privateJwk instanceof RSAKey rsa) ? new RSASSASigner(rsa)
					: new ECDSASigner((ECKey) this.privateJwk);
			return signer.sign(new JWSHeader(algorithm), signingInput);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign with " + algorithm + " using " + this, ex);
		}
	}

	@Override
	public String toString() {
		return "SigningKey[" + this.algorithm + " kid=" + this.kid + "]";
	}

}
