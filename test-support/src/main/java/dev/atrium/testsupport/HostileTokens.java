package dev.atrium.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;

/**
 * Attack tokens against one issuer, each a named {@link HostileToken} with what the
 * gateway must answer. Every case starts from the issuer's
 * {@link TokenIssuer#validAccessToken() valid access token} and breaks one thing, so a
 * rejection can only be for that thing; the suite includes that valid token itself
 * ({@code valid-baseline}, accepted) so a gateway that rejects everything fails.
 *
 * <p>
 * Times are taken once, at {@link Builder#build()}, from the issuer's {@link Clock}, and
 * the skew cases sit one second either side of the configured skew: the gateway under
 * test must read the same (fixed) clock and be configured with the same skew. Expected
 * outcomes are those of a strict resource server:
 * <ul>
 * <li>algorithm pinned to the issuer's (RS256 or ES256); no {@code none}, no HMAC, no
 * keys or key URLs taken from the token ({@code jwk}, {@code jku}, {@code x5u});</li>
 * <li>the key chosen by {@code kid} from the issuer's JWKS only: a {@code kid} the JWKS
 * lacks is rejected even when the token is signed by a key it has (the unknown-kid cases
 * are signed with the issuer's real key, so the {@code kid} is their only defect);</li>
 * <li>{@code exp} required; {@code exp}, {@code nbf} and {@code iat} checked with the
 * skew ({@code iat} in the future is not checked by Spring Security's or Nimbus's default
 * validators, the gateway needs its own);</li>
 * <li>{@code iss} compared exactly (a trailing slash is another issuer);</li>
 * <li>where the valid token has an {@code aud}: the gateway's audience among its values;
 * </li>
 * <li>where a {@link Builder#requiredType(String) type is required}: {@code typ} equal to
 * it, compared case-insensitively, with or without the {@code application/} prefix (RFC
 * 7515 section 4.1.9, RFC 9068 section 4);</li>
 * <li>for a {@link CognitoUserPool}: {@code token_use} equal to {@code access} and
 * {@code client_id} among the app clients the gateway accepts, which is the
 * {@link CognitoUserPool#defaultClientId() pool's default client}; Cognito M2M tokens
 * have no {@code aud}, so the client allow-list is what binds them to the gateway.</li>
 * </ul>
 *
 * <p>
 * The {@code jku} and {@code x5u} cases point at the attacker's {@link LocalJwksServer},
 * which serves a JWKS that would verify them: the test asserts that its
 * {@link LocalJwksServer#totalRequestCount() request count} stays 0. The {@code x5u}
 * target serves no real certificate (making one needs an X.509 library); a gateway that
 * fetched it is caught by the count all the same. A case signed by a key rotated out of
 * the JWKS is included for each of the issuer's {@link TokenIssuer#retiredKeys() retired
 * keys}, so rotate and retire before building to get it.
 *
 * <p>
 * Tokens larger than the gateway's HTTP header limit (8 KB by default in Spring Boot) are
 * refused by the HTTP layer with 431 before authentication runs, which counts as a
 * rejection too (never a 5xx, never a 200): {@code kid-10kb} is such a token at the
 * default limit, see {@link HostileToken#authorizationHeaderLength()}.
 * {@code huge-payload} stays under 8 KB by default so that it reaches the token verifier.
 */
public final class HostileTokens {

	/**
	 * The default clock skew, Spring Security's {@code JwtTimestampValidator} default.
	 */
	public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

	/** The default size of the {@code huge-payload} padding. */
	public static final int DEFAULT_HUGE_PAYLOAD_BYTES = 4096;

	private static final AtomicInteger ATTACKERS = new AtomicInteger();

	private final List<HostileToken> cases;

	private final LocalJwksServer attacker;

	private final SigningKey attackerKey;

	private final String attackerJwksPath;

	private HostileTokens(List<HostileToken> cases, LocalJwksServer attacker, SigningKey attackerKey,
			String attackerJwksPath) {
		this.cases = List.copyOf(cases);
		this.attacker = attacker;
		this.attackerKey = attackerKey;
		this.attackerJwksPath = attackerJwksPath;
	}

	/**
	 * Starts a suite against an issuer.
	 * @param issuer the issuer whose tokens the gateway trusts
	 * @param attacker a server on another port standing for the attacker's host; the
	 * suite publishes the attacker's keys on it
	 * @return the builder
	 */
	public static Builder against(TokenIssuer issuer, LocalJwksServer attacker) {
		return new Builder(issuer, attacker);
	}

	/**
	 * Every case, in a stable order.
	 * @return the cases
	 */
	public List<HostileToken> all() {
		return this.cases;
	}

	/**
	 * The cases the gateway must reject.
	 * @return the cases
	 */
	public List<HostileToken> rejected() {
		return this.cases.stream().filter(HostileToken::mustBeRejected).toList();
	}

	/**
	 * The cases the gateway must accept.
	 * @return the cases
	 */
	public List<HostileToken> accepted() {
		return this.cases.stream().filter((hostile) -> !hostile.mustBeRejected()).toList();
	}

	/**
	 * One case by name.
	 * @param name the name
	 * @return the case
	 * @throws NoSuchElementException if there is none
	 */
	public HostileToken named(String name) {
		return this.cases.stream()
			.filter((hostile) -> hostile.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new NoSuchElementException("No case " + name + " among " + names()));
	}

	/**
	 * The names of all cases.
	 * @return the names, in order
	 */
	public List<String> names() {
		return this.cases.stream().map(HostileToken::name).toList();
	}

	/**
	 * The attacker's server, whose request count must stay 0.
	 * @return the server
	 */
	public LocalJwksServer attacker() {
		return this.attacker;
	}

	/**
	 * The attacker's own key, published on the attacker's server.
	 * @return the key
	 */
	public SigningKey attackerKey() {
		return this.attackerKey;
	}

	/**
	 * Where the attacker's JWKS is served on the attacker's server.
	 * @return the path
	 */
	public String attackerJwksPath() {
		return this.attackerJwksPath;
	}

	/**
	 * Configures and builds {@link HostileTokens}.
	 */
	public static final class Builder {

		private final TokenIssuer issuer;

		private final LocalJwksServer attacker;

		private Duration clockSkew = DEFAULT_CLOCK_SKEW;

		private String requiredType;

		private int hugePayloadBytes = DEFAULT_HUGE_PAYLOAD_BYTES;

		private Builder(TokenIssuer issuer, LocalJwksServer attacker) {
			this.issuer = Objects.requireNonNull(issuer, "issuer");
			this.attacker = Objects.requireNonNull(attacker, "attacker");
		}

		/**
		 * The clock skew the gateway allows; 60 s by default.
		 * @param clockSkew the skew, at least 2 s so both boundary cases exist
		 * @return this builder
		 */
		public Builder clockSkew(Duration clockSkew) {
			if (clockSkew.compareTo(Duration.ofSeconds(2)) < 0) {
				throw new IllegalArgumentException("A skew of at least 2 s, not " + clockSkew);
			}
			this.clockSkew = clockSkew;
			return this;
		}

		/**
		 * The {@code typ} the gateway requires of this issuer's tokens (such as
		 * {@code at+jwt}), which adds the type cases; none by default, as for Cognito,
		 * whose tokens carry no {@code typ}.
		 * @param requiredType the type, or {@code null}
		 * @return this builder
		 */
		public Builder requiredType(String requiredType) {
			this.requiredType = requiredType;
			return this;
		}

		/**
		 * The size of the padding claim of {@code huge-payload}.
		 * @param bytes the size
		 * @return this builder
		 */
		public Builder hugePayloadBytes(int bytes) {
			this.hugePayloadBytes = bytes;
			return this;
		}

		/**
		 * Makes every case, publishing the attacker's keys on the attacker's server.
		 * @return the suite
		 */
		public HostileTokens build() {
			return new Cases(this).make();
		}

	}

	/**
	 * The making of the cases, one method per family.
	 */
	private static final class Cases {

		private final Builder config;

		private final TokenIssuer issuer;

		private final SigningKey key;

		private final long now;

		private final long skew;

		private final SigningKey impostor;

		private final SigningKey attackerKey;

		private final String attackerBase;

		private final List<HostileToken> cases = new ArrayList<>();

		Cases(Builder config) {
			this.config = config;
			this.issuer = config.issuer;
			this.key = this.issuer.accessTokenKey();
			this.now = this.issuer.clock().instant().getEpochSecond();
			this.skew = config.clockSkew.toSeconds();
			this.impostor = this.key.sameTypeWithKid(this.key.kid());
			this.attackerKey = this.key.sameTypeWithKid("attacker-key-1");
			this.attackerBase = "/attacker-" + ATTACKERS.incrementAndGet();
		}

		HostileTokens make() {
			String jwksPath = this.attackerBase + "/jwks.json";
			// The attacker's JWKS verifies both the attacker's own key and the impostor
			// that claims the issuer's kid: a gateway that fetched it would accept.
			this.config.attacker.serveJwks(jwksPath, this.attackerKey, this.impostor);
			this.config.attacker.serve(this.attackerBase + "/x5u.pem", () -> new ServedResponse(200,
					"application/pem-certificate-chain", this.attackerKey.publicKeyPem(), Map.of()));
			accept("valid-baseline", base().sign(),
					"The issuer's own valid token; if this is refused the other cases prove nothing.");
			accept("unknown-extra-claim", base().claim("x-atrium-unknown-claim", "ignored").sign(),
					"Unknown claims must be ignored (RFC 7519 section 4; AWS says its tokens grow new claims).");
			unsecured();
			keyConfusion();
			keysFromTheToken();
			keyIds();
			times();
			issuers();
			audiences();
			types();
			cognito();
			malformed();
			signatures();
			return new HostileTokens(this.cases, this.config.attacker, this.attackerKey, jwksPath);
		}

		private void unsecured() {
			for (String spelling : List.of("none", "None", "NONE", "nOnE")) {
				TokenBuilder token = base().header("alg", spelling);
				reject("alg-none-" + spelling + "-empty-signature", token.unsigned(),
						"Unsecured JWT (alg \"" + spelling + "\") with an empty third segment: never accepted.");
				String unsigned = token.unsigned();
				reject("alg-none-" + spelling + "-no-signature-segment", unsigned.substring(0, unsigned.length() - 1),
						"Unsecured JWT (alg \"" + spelling + "\") without its third segment: never accepted.");
			}
		}

		private void keyConfusion() {
			byte[] pem = this.key.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
			byte[] pemNoNewline = this.key.publicKeyPem().strip().getBytes(StandardCharsets.US_ASCII);
			reject("hs256-public-key-pem", base().header("alg", "HS256").signWithHmac(pem),
					"HS256 keyed with the issuer's public key as PEM (with final newline): algorithm confusion.");
			reject("hs256-public-key-pem-no-final-newline", base().header("alg", "HS256").signWithHmac(pemNoNewline),
					"HS256 keyed with the issuer's public key as PEM without final newline: algorithm confusion.");
			reject("hs256-public-key-der", base().header("alg", "HS256").signWithHmac(this.key.publicKeyDer()),
					"HS256 keyed with the issuer's public key as DER: algorithm confusion.");
		}

		private void keysFromTheToken() {
			reject("embedded-jwk",
					base().signatureKey(this.impostor).header("jwk", this.impostor.publicJwkMembers()).sign(),
					"Header jwk carries the attacker's key (under the issuer's kid): keys never come from the token.");
			String jku = this.config.attacker.uri(this.attackerBase + "/jwks.json").toString();
			reject("jku-foreign-host", base().signWith(this.attackerKey).header("jku", jku).sign(),
					"Header jku points at the attacker's JWKS, kid is the attacker's: no fetch, rejected.");
			reject("jku-foreign-host-issuer-kid", base().signatureKey(this.impostor).header("jku", jku).sign(),
					"Header jku points at the attacker's JWKS, which also holds a key under the issuer's kid.");
			String x5u = this.config.attacker.uri(this.attackerBase + "/x5u.pem").toString();
			reject("x5u-foreign-host", base().signWith(this.attackerKey).header("x5u", x5u).sign(),
					"Header x5u points at the attacker's host: no fetch, rejected.");
		}

		private void keyIds() {
			String unknown = SigningKey.cognitoStyleKid(this.attackerKey.publicKey());
			reject("kid-unknown", base().header("kid", unknown).sign(),
					"A kid the JWKS lacks, token signed by the issuer's real key: the kid decides the key.");
			reject("kid-empty", base().header("kid", "").sign(), "An empty kid: no such key.");
			reject("kid-10kb", base().header("kid", "k".repeat(10 * 1024)).sign(),
					"A 10 KB kid: no such key, and nothing may be sized or cached by it.");
			reject("kid-path-traversal", base().header("kid", "../../../../../../etc/passwd").sign(),
					"A path-traversal kid: kids are looked up, never used as paths.");
			reject("kid-sql-injection", base().header("kid", "x' OR '1'='1' --").sign(),
					"An SQL-injection kid: kids are looked up, never spliced into queries.");
		}

		private void times() {
			long lifetime = lifetime();
			long expired = this.now - this.skew - 1;
			reject("exp-past-beyond-skew", retime(base(), expired - lifetime, expired).sign(),
					"exp = now - skew - 1 s: expired.");
			long justValid = this.now - this.skew + 1;
			accept("exp-past-within-skew", retime(base(), justValid - lifetime, justValid).sign(),
					"exp = now - skew + 1 s: still valid thanks to the skew; a gateway ignoring skew refuses it.");
			reject("nbf-future-beyond-skew", base().notBefore(instant(this.now + this.skew + 1)).sign(),
					"nbf = now + skew + 1 s: not yet valid.");
			accept("nbf-future-within-skew", base().notBefore(instant(this.now + this.skew - 1)).sign(),
					"nbf = now + skew - 1 s: valid thanks to the skew.");
			long issuedLate = this.now + this.skew + 1;
			reject("iat-future-beyond-skew", retime(base(), issuedLate, issuedLate + lifetime).sign(),
					"iat = now + skew + 1 s: issued in the future, a forged or mis-clocked token"
							+ " (default Spring and Nimbus validators do not check iat).");
			long issuedSoon = this.now + this.skew - 1;
			accept("iat-future-within-skew", retime(base(), issuedSoon, issuedSoon + lifetime).sign(),
					"iat = now + skew - 1 s: within the skew.");
			reject("exp-missing", base().withoutClaim("exp").sign(),
					"No exp: a token that never expires is refused (Spring's default validators accept it).");
		}

		private void issuers() {
			String issuer = this.issuer.issuer();
			String path = issuer.substring(issuer.indexOf('/', "http://".length()));
			reject("iss-other-host", base().claim("iss", this.config.attacker.origin() + path).sign(),
					"iss names another host with the same path.");
			reject("iss-trailing-slash", base().claim("iss", issuer + "/").sign(),
					"iss is the issuer with a trailing slash: issuers are compared exactly.");
			reject("iss-missing", base().withoutClaim("iss").sign(), "No iss.");
		}

		private void audiences() {
			Object audience = base().claims().get("aud");
			if (audience == null) {
				return;
			}
			reject("aud-missing", base().withoutClaim("aud").sign(), "No aud where the issuer always sets one.");
			reject("aud-other", base().claim("aud", "https://other-api.example").sign(),
					"aud names another resource server.");
			reject("aud-array-without-ours",
					base().claim("aud", List.of("https://other-api.example", "another-client")).sign(),
					"aud is an array, none of whose values is the gateway's.");
			List<Object> withOurs = new ArrayList<>();
			withOurs.add("https://other-api.example");
			withOurs.addAll((audience instanceof List<?> values) ? values : List.of(audience));
			accept("aud-array-with-ours", base().claim("aud", withOurs).sign(),
					"aud is an array holding the gateway's audience among others: accepted (RFC 7519 4.1.3).");
		}

		private void types() {
			String required = this.config.requiredType;
			if (required == null) {
				return;
			}
			String wrong = required.equalsIgnoreCase("JWT") ? "at+jwt" : "JWT";
			reject("typ-" + wrong, base().header("typ", wrong).sign(),
					"typ " + wrong + " where " + required + " is required: another kind of token (an ID token, say).");
			reject("typ-missing", base().withoutHeader("typ").sign(), "No typ where " + required + " is required.");
			accept("typ-application-" + required, base().header("typ", "application/" + required).sign(),
					"typ with the application/ prefix names the same type (RFC 7515 4.1.9, RFC 9068 4).");
		}

		private void cognito() {
			if (!(this.issuer instanceof CognitoUserPool pool)) {
				return;
			}
			reject("cognito-id-token-as-access-token",
					pool.idToken(CognitoUser.named("mallory"), pool.defaultClientId()).sign(),
					"A genuine Cognito ID token (token_use=id, signed by the pool's ID-token key) used as an"
							+ " access token.");
			reject("cognito-token-use-id", base().claim("token_use", "id").sign(),
					"An access-shaped token whose token_use is id.");
			reject("cognito-token-use-missing", base().withoutClaim("token_use").sign(), "No token_use.");
			String stranger = CognitoUserPool.newClientId();
			reject("cognito-client-id-unknown", base().claim("sub", stranger).claim("client_id", stranger).sign(),
					"A valid M2M token of an app client the gateway does not accept: Cognito M2M tokens have no"
							+ " aud, the client allow-list is what binds them to the gateway.");
		}

		private void malformed() {
			TokenBuilder valid = base();
			String header = valid.encodedHeader();
			String payload = valid.encodedPayload();
			String signature = valid.sign().substring(header.length() + payload.length() + 2);
			reject("malformed-two-segments", header + "." + payload, "Two segments.");
			reject("malformed-four-segments", header + "." + payload + "." + signature + "." + signature,
					"Four segments.");
			reject("malformed-bad-base64-header", "eyJ*bGciOi!!." + payload + "." + signature,
					"A header segment that is not base64url.");
			reject("malformed-bad-base64-payload", header + ".eyJ*%$@." + signature,
					"A payload segment that is not base64url.");
			reject("malformed-non-json-header", encode("this is not json") + "." + payload + "." + signature,
					"A header that is not JSON.");
			reject("malformed-header-json-array", encode("[\"alg\",\"RS256\"]") + "." + payload + "." + signature,
					"A header that is JSON but not an object.");
			reject("malformed-payload-json-array", signRaw(header, encode("[\"sub\"]")),
					"A payload that is a JSON array, validly signed by the issuer's key.");
			reject("duplicate-claim-iss", signRaw(header, encode(duplicateIss(valid))),
					"iss appears twice, the attacker's first and the issuer's last, validly signed: parsers"
							+ " that keep different copies disagree about the issuer. RFC 7519 allows last-wins;"
							+ " Nimbus rejects duplicates, and the gateway must not be laxer.");
			reject("huge-payload",
					base().claim("padding", "p".repeat(this.config.hugePayloadBytes))
						.signatureKey(this.impostor)
						.sign(),
					"A large payload (" + this.config.hugePayloadBytes + " bytes of padding) with a bad signature:"
							+ " rejected with 401, not a 5xx.");
			reject("deeply-nested-claim", base().claim("nested", nested(1000)).sign(),
					"A claim nested 1000 arrays deep, validly signed: JSON nesting is bounded (CVE-2025-53864).");
		}

		private void signatures() {
			String signed = base().sign();
			String input = signed.substring(0, signed.lastIndexOf('.'));
			reject("signature-stripped", input + ".", "The signature segment emptied.");
			String signature = signed.substring(signed.lastIndexOf('.') + 1);
			int middle = signature.length() / 2;
			char flipped = (signature.charAt(middle) == 'A') ? 'B' : 'A';
			reject("signature-corrupted",
					input + "." + signature.substring(0, middle) + flipped + signature.substring(middle + 1),
					"One character of the signature changed.");
			reject("signature-other-key-same-kid", base().signatureKey(this.impostor).sign(),
					"Signed by another key of the same type that claims the issuer's kid.");
			if (this.key.algorithm() == JWSAlgorithm.RS256) {
				reject("alg-rs512-same-key", base().header("alg", "RS512").sign(),
						"Signed by the issuer's real key with RS512: the algorithm is pinned to RS256.");
			}
			reject("crit-unknown-extension",
					base().header("crit", List.of("x-atrium-unknown")).header("x-atrium-unknown", true).sign(),
					"A critical header extension the gateway does not understand (RFC 7515 4.1.11).");
			List<SigningKey> retired = this.issuer.retiredKeys();
			for (int i = 0; i < retired.size(); i++) {
				reject("signed-by-retired-key" + ((i > 0) ? "-" + (i + 1) : ""), base().signWith(retired.get(i)).sign(),
						"Signed by key " + retired.get(i).kid() + ", removed from the JWKS: refused once the"
								+ " gateway has refreshed its JWKS.");
			}
		}

		private TokenBuilder base() {
			return this.issuer.validAccessToken();
		}

		private long lifetime() {
			Map<String, Object> claims = base().claims();
			return ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue();
		}

		private static TokenBuilder retime(TokenBuilder token, long issuedAt, long expiresAt) {
			token.issuedAt(instant(issuedAt)).expiresAt(instant(expiresAt));
			Map<String, Object> claims = token.claims();
			if (claims.containsKey("auth_time")) {
				token.claim("auth_time", issuedAt);
			}
			if (claims.get("nbf") instanceof Number notBefore && notBefore.longValue() > issuedAt) {
				token.claim("nbf", issuedAt);
			}
			return token;
		}

		private String signRaw(String encodedHeader, String encodedPayload) {
			String input = encodedHeader + "." + encodedPayload;
			return input + "." + this.key.sign(this.key.algorithm(), input.getBytes(StandardCharsets.US_ASCII));
		}

		private String duplicateIss(TokenBuilder valid) {
			Map<String, Object> rest = new LinkedHashMap<>(valid.claims());
			rest.remove("iss");
			String tail = Json.write(rest).substring(1);
			String forged = Json.write(Collections.singletonMap("iss", "https://attacker.example"));
			String genuine = Json.write(Collections.singletonMap("iss", this.issuer.issuer()));
			return forged.substring(0, forged.length() - 1) + "," + tail.substring(0, tail.length() - 1) + ","
					+ genuine.substring(1);
		}

		private static Object nested(int depth) {
			Object value = List.of();
			for (int i = 1; i < depth; i++) {
				value = List.of(value);
			}
			return value;
		}

		private static String encode(String text) {
			return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
		}

		private static Instant instant(long epochSecond) {
			return Instant.ofEpochSecond(epochSecond);
		}

		private void accept(String name, String token, String why) {
			add(new HostileToken(name, token, Expectation.ACCEPTED, why));
		}

		private void reject(String name, String token, String why) {
			add(new HostileToken(name, token, Expectation.REJECTED, why));
		}

		private void add(HostileToken hostile) {
			if (this.cases.stream().anyMatch((existing) -> existing.name().equals(hostile.name()))) {
				throw new IllegalStateException("Duplicate case " + hostile.name());
			}
			this.cases.add(hostile);
		}

	}

}
