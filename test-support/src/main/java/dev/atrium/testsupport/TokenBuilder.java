package dev.atrium.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;

/**
 * A compact JWS under construction: an ordered header, an ordered claim set and the key
 * that will sign it. Issuers hand out builders pre-filled with a valid token; negative
 * tests override, add or remove any header parameter or claim before signing.
 *
 * <p>
 * Order is kept: replacing a member keeps it in place, a new member goes last (or where
 * {@link #claimAfter(String, String, Object)} puts it), so a token can be made byte for
 * byte in the shape an issuer publishes. Times are written as whole epoch seconds.
 *
 * <p>
 * {@link #signWith(SigningKey)} sets {@code alg} and {@code kid} from the key; header
 * changes made after it win, which is how a token claims one key and is signed by
 * another. {@link #sign()} signs with the algorithm the header names, so a header that
 * names an algorithm the key cannot sign with fails loudly rather than producing a token
 * that lies about itself by accident.
 */
public final class TokenBuilder {

	private final Map<String, Object> header;

	private final Map<String, Object> claims;

	private SigningKey key;

	TokenBuilder(Map<String, Object> header, Map<String, Object> claims, SigningKey key) {
		this.header = new LinkedHashMap<>(header);
		this.claims = new LinkedHashMap<>(claims);
		this.key = key;
	}

	/**
	 * A builder with the given header and claims, signed by the given key. The header is
	 * used as given: {@code alg} and {@code kid} are not filled in from the key.
	 * @param header the header parameters, in order
	 * @param claims the claims, in order
	 * @param key the signing key
	 * @return the builder
	 */
	public static TokenBuilder of(Map<String, Object> header, Map<String, Object> claims, SigningKey key) {
		return new TokenBuilder(header, claims, Objects.requireNonNull(key, "key"));
	}

	/**
	 * An independent copy of this builder.
	 * @return the copy
	 */
	public TokenBuilder copy() {
		return new TokenBuilder(this.header, this.claims, this.key);
	}

	/**
	 * Sets a header parameter; a value of {@code null} is written as JSON {@code null}.
	 * @param name the parameter name
	 * @param value its value
	 * @return this builder
	 */
	public TokenBuilder header(String name, Object value) {
		this.header.put(name, value);
		return this;
	}

	/**
	 * Removes a header parameter.
	 * @param name the parameter name
	 * @return this builder
	 */
	public TokenBuilder withoutHeader(String name) {
		this.header.remove(name);
		return this;
	}

	/**
	 * Sets a claim; a value of {@code null} is written as JSON {@code null}. Lists are
	 * written as arrays, maps as objects, {@link Instant instants} as epoch seconds.
	 * @param name the claim name
	 * @param value its value
	 * @return this builder
	 */
	public TokenBuilder claim(String name, Object value) {
		this.claims.put(name, normalize(value));
		return this;
	}

	/**
	 * Sets a claim right after another one (or last, if the anchor is absent), for claims
	 * an issuer writes in the middle of its set such as Cognito's {@code aud} under
	 * resource binding.
	 * @param anchor the claim to insert after
	 * @param name the claim name
	 * @param value its value
	 * @return this builder
	 */
	public TokenBuilder claimAfter(String anchor, String name, Object value) {
		if (!this.claims.containsKey(anchor)) {
			return claim(name, value);
		}
		Map<String, Object> reordered = new LinkedHashMap<>();
		this.claims.forEach((existing, existingValue) -> {
			if (!existing.equals(name)) {
				reordered.put(existing, existingValue);
			}
			if (existing.equals(anchor)) {
				reordered.put(name, normalize(value));
			}
		});
		this.claims.clear();
		this.claims.putAll(reordered);
		return this;
	}

	/**
	 * Removes a claim.
	 * @param name the claim name
	 * @return this builder
	 */
	public TokenBuilder withoutClaim(String name) {
		this.claims.remove(name);
		return this;
	}

	/**
	 * Sets {@code iat}.
	 * @param instant the time, truncated to seconds
	 * @return this builder
	 */
	public TokenBuilder issuedAt(Instant instant) {
		return claim("iat", instant);
	}

	/**
	 * Sets {@code exp}.
	 * @param instant the time, truncated to seconds
	 * @return this builder
	 */
	public TokenBuilder expiresAt(Instant instant) {
		return claim("exp", instant);
	}

	/**
	 * Sets {@code nbf}.
	 * @param instant the time, truncated to seconds
	 * @return this builder
	 */
	public TokenBuilder notBefore(Instant instant) {
		return claim("nbf", instant);
	}

	/**
	 * Chooses the signing key and sets the {@code alg} and {@code kid} header parameters
	 * from it (in place if present, last otherwise).
	 * @param key the key
	 * @return this builder
	 */
	public TokenBuilder signWith(SigningKey key) {
		this.key = Objects.requireNonNull(key, "key");
		this.header.put("alg", key.algorithm().getName());
		this.header.put("kid", key.kid());
		return this;
	}

	/**
	 * Chooses the signing key and leaves the header alone.
	 * @param key the key
	 * @return this builder
	 */
	public TokenBuilder signatureKey(SigningKey key) {
		this.key = Objects.requireNonNull(key, "key");
		return this;
	}

	/**
	 * The header parameters as they stand.
	 * @return an unmodifiable copy, in order
	 */
	public Map<String, Object> headers() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.header));
	}

	/**
	 * The claims as they stand.
	 * @return an unmodifiable copy, in order
	 */
	public Map<String, Object> claims() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.claims));
	}

	/**
	 * The key that will sign.
	 * @return the key
	 */
	public SigningKey key() {
		return this.key;
	}

	/**
	 * The first segment: the header JSON, base64url-encoded.
	 * @return the encoded header
	 */
	public String encodedHeader() {
		return Base64URL.encode(Json.write(this.header).getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * The second segment: the claims JSON, base64url-encoded.
	 * @return the encoded payload
	 */
	public String encodedPayload() {
		return Base64URL.encode(Json.write(this.claims).getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * Signs with the key, using the algorithm the {@code alg} header names.
	 * @return the compact serialization {@code header.payload.signature}
	 */
	public String sign() {
		Object alg = this.header.get("alg");
		if (!(alg instanceof String name)) {
			throw new IllegalStateException("The header has no alg to sign with: " + this.header);
		}
		String signingInput = encodedHeader() + "." + encodedPayload();
		Base64URL signature = this.key.sign(JWSAlgorithm.parse(name), signingInput.getBytes(StandardCharsets.US_ASCII));
		return signingInput + "." + signature;
	}

	/**
	 * Signs with HMAC, using the secret given and the {@code HS*} algorithm the header
	 * names: the shape of an algorithm-confusion attack.
	 * @param secret the HMAC secret
	 * @return the compact serialization
	 */
	public String signWithHmac(byte[] secret) {
		String alg = String.valueOf(this.header.get("alg"));
		String javaName = switch (alg) {
			case "HS256" -> "HmacSHA256";
			case "HS384" -> "HmacSHA384";
			case "HS512" -> "HmacSHA512";
			default -> throw new IllegalStateException("The header alg is not HMAC: " + alg);
		};
		String signingInput = encodedHeader() + "." + encodedPayload();
		try {
			Mac mac = Mac.getInstance(javaName);
			mac.init(new SecretKeySpec(secret, javaName));
			byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + Base64URL.encode(signature);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The token with an empty signature, {@code header.payload.}, whatever the header
	 * says: the shape of an unsecured JWT (RFC 7519 section 6) and of a stripped
	 * signature.
	 * @return the compact serialization with an empty third segment
	 */
	public String unsigned() {
		return encodedHeader() + "." + encodedPayload() + ".";
	}

	private static Object normalize(Object value) {
		return (value instanceof Instant instant) ? instant.getEpochSecond() : value;
	}

}
