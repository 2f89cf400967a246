package dev.atrium.sts.keys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/**
 * Derives the P-256 signing key of each rotation period from one shared secret: every
 * replica computes the same key for the same period, so keys rotate on schedule without
 * any coordination, and a token signed by one replica verifies on all.
 */
final class DerivedSigningKeys {

	private static final byte[] SALT = "atrium-sts-signing-keys".getBytes(StandardCharsets.UTF_8);

	private static final ECNamedCurveParameterSpec CURVE = ECNamedCurveTable.getParameterSpec("secp256r1");

	private static final ECParameterSpec JDK_CURVE = jdkCurve();

	private final byte[] secret;

	private final String purpose;

	/**
	 * @param secret the shared secret
	 * @param purpose what the keys sign; keys of different purposes are unrelated
	 */
	DerivedSigningKeys(byte[] secret, String purpose) {
		if (secret.length < 32) {
			throw new IllegalArgumentException("the STS key secret must have at least 32 bytes, had " + secret.length);
		}
		this.secret = secret.clone();
		this.purpose = purpose;
	}

	/** The key of one rotation period; its id names the period and the key. */
	ECKey derive(long period) {
		BigInteger d = privateScalar(period);
		org.bouncycastle.math.ec.ECPoint q = CURVE.getG().multiply(d).normalize();
		try {
			KeyFactory factory = KeyFactory.getInstance("EC");
			ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(d, JDK_CURVE));
			ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
			ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(point, JDK_CURVE));
			ECKey unnamed = new ECKey.Builder(Curve.P_256, publicKey).build();
			return new ECKey.Builder(Curve.P_256, publicKey).privateKey(privateKey)
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.ES256)
				// The thumbprint tells keys of different secrets apart; the period orders
				// them.
				.keyID("p" + period + "-" + unnamed.computeThumbprint().toString().substring(0, 12))
				.build();
		}
		catch (GeneralSecurityException | JOSEException ex) {
			throw new IllegalStateException("cannot build the STS signing key of period " + period, ex);
		}
	}

	private BigInteger privateScalar(long period) {
		HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
		hkdf.init(
				new HKDFParameters(this.secret, SALT, (this.purpose + ":" + period).getBytes(StandardCharsets.UTF_8)));
		// 64 bits more than the order, so that the reduction below is uniform (FIPS
		// 186-5 A.2.1).
		byte[] bytes = new byte[40];
		hkdf.generateBytes(bytes, 0, bytes.length);
		BigInteger n = CURVE.getN();
		return new BigInteger(1, bytes).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
	}

	private static ECParameterSpec jdkCurve() {
		try {
			AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
			parameters.init(new ECGenParameterSpec("secp256r1"));
			return parameters.getParameterSpec(ECParameterSpec.class);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK has no P-256 curve", ex);
		}
	}

}
