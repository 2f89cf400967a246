package dev.atrium.testsupport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.nimbusds.jose.util.Base64URL;

/**
 * A local stand-in for one Amazon Cognito user pool, serving its JWKS and OIDC discovery
 * document on a {@link LocalJwksServer} and minting its tokens.
 *
 * <h2>Issuer mapping</h2> A real pool's issuer is
 * {@code https://cognito-idp.{region}.amazonaws.com/{userPoolId}}, where the pool id
 * itself starts with the region ({@code us-east-1_AbCdEf123}). Locally the host becomes
 * the server's origin and the path is kept: {@code http://127.0.0.1:{port}/{userPoolId}},
 * for example {@code http://127.0.0.1:41234/us-east-1_AtriumTest}. The region is thus
 * still visible in the issuer, through the pool id, and several pools (of several
 * regions) can share one server. {@link #awsIssuer()} gives the issuer the same pool
 * would have on AWS. The JWKS is at {@code {issuer}/.well-known/jwks.json} and the
 * discovery document at {@code {issuer}/.well-known/openid-configuration}, as on AWS.
 * Cognito publishes no RFC 8414 document. The pool's "domain" endpoints (token,
 * authorize, userInfo), which AWS hosts on another host, are named in the discovery
 * document under {@code http://127.0.0.1:{port}/_domain/{userPoolId}/oauth2/...} and not
 * served.
 *
 * <h2>What follows AWS's documentation, and what is assumed</h2> Checked against the
 * Amazon Cognito Developer Guide pages "Understanding user pool JSON web tokens (JWTs)",
 * "Understanding the access token" (section "Access token default payload"),
 * "Understanding the identity (ID) token" (section "ID token default payload"), "Scopes,
 * M2M, and resource servers", "Identity provider and relying party endpoints" and
 * "Verifying JSON web tokens" (the sample {@code jwks.json}), as of their 2025 versions.
 * <ul>
 * <li><b>Header</b>: {@code kid} then {@code alg=RS256}, nothing else, as both token
 * pages show; no {@code typ}. Documented.</li>
 * <li><b>Two keys</b>: access and ID tokens are signed by different keys, both in the
 * JWKS ("Amazon Cognito signs access tokens with a different key from the key that signs
 * ID tokens"). Documented. RS256 with 2048-bit keys: the algorithm is documented, the
 * size is not (it is what real pools publish).</li>
 * <li><b>JWKS members</b> {@code kid, alg, kty, e, n, use}: the order of the sample
 * {@code jwks.json}. Documented. The key id's shape, 44 characters of padded standard
 * Base64 (may hold {@code +} and {@code /}), is assumed from real pools; AWS's examples
 * only show {@code "1234example="}.</li>
 * <li><b>Client-credentials (M2M) access tokens</b>: claims
 * {@code sub, token_use, scope, auth_time, iss, exp, iat, version, jti, client_id} in
 * that order, {@code sub} equal to the client id, {@code auth_time} equal to {@code iat},
 * {@code version} the number 2, and no {@code aud}. AWS documents no M2M payload sample:
 * the claim names and meanings come from the access-token page, the absence of
 * {@code aud} from "Scopes, M2M, and resource servers" ("You can't request a resource
 * binding with client-credentials M2M grants", and {@code aud} is "present only if your
 * application requested a resource binding"), the custom scope form
 * {@code resourceServerIdentifier/scopeName} from the same page ("M2M ... authorizes only
 * custom scopes"). The order, {@code sub = client_id} and {@code auth_time = iat} are
 * assumed from tokens real pools issue, as published in community write-ups; the order
 * matches a 2019 user access token shown in one of them
 * ({@code sub, token_use, scope, auth_time, iss, exp, iat, version, jti, client_id, username}).</li>
 * <li><b>User access tokens</b>: {@code sub, [cognito:groups], iss, version, client_id,
 * [aud], origin_jti, event_id, token_use, scope, auth_time, exp, iat, jti, username}, the
 * order of the "Access token default payload" sample, without its {@code device_key}
 * (device tracking only). {@code aud} appears only through
 * {@link #resourceBoundUserAccessToken}. Without scopes the token carries
 * {@code aws.cognito.signin.user.admin}, the only scope of SDK (InitiateAuth) sign-in.
 * Documented.</li>
 * <li><b>ID tokens</b>: {@code sub, [cognito:groups], email_verified, iss,
 * cognito:username, origin_jti, aud, event_id, token_use, auth_time, exp, iat, jti, email},
 * the order of the "ID token default payload" sample, without its optional
 * {@code cognito:preferred_role}, {@code cognito:roles}, {@code middle_name},
 * {@code nonce} and {@code identities}; {@code aud} is the app client id. Documented.
 * {@link #signIn} also puts an {@code at_hash} first, as hosted-UI tokens carry it: that
 * claim and its place are assumed (OIDC Core defines its value, AWS does not show
 * it).</li>
 * <li><b>Lifetimes</b>: one hour by default, configurable; AWS allows 5 minutes to 1 day.
 * Documented.</li>
 * <li><b>Discovery document</b>: {@code authorization_endpoint,
 * id_token_signing_alg_values_supported, issuer, jwks_uri, response_types_supported,
 * scopes_supported, subject_types_supported, token_endpoint,
 * token_endpoint_auth_methods_supported, userinfo_endpoint}, as a real pool's document
 * shows them (not in AWS's guide, which says the document "might be updated at any time"
 * with more members).</li>
 * <li><b>Client ids</b>: 26 characters of {@code [a-z0-9]}, like AWS's sample
 * {@code 57cbishk4j24pabc1234567890}. Assumed.</li>
 * </ul>
 * AWS says its tokens grow new claims over time and that parsers must ignore claims they
 * do not know: a gateway must not fail on an extra claim, which tests can check with
 * {@link TokenBuilder#claim(String, Object)}.
 */
public final class CognitoUserPool implements TokenIssuer {

	/** The default region. */
	public static final String DEFAULT_REGION = "us-east-1";

	/** The default pool id. */
	public static final String DEFAULT_USER_POOL_ID = "us-east-1_AtriumTest";

	/** The default lifetime of access and ID tokens, Cognito's default. */
	public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

	/** The default custom scope of client-credentials tokens. */
	public static final String DEFAULT_SCOPE = "atrium/mcp:read";

	private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

	private static final Pattern POOL_ID = Pattern.compile("[\\w-]+_[0-9a-zA-Z]+");

	private static final char[] CLIENT_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final LocalJwksServer server;

	private final Clock clock;

	private final String region;

	private final String userPoolId;

	private final Duration accessTokenLifetime;

	private final Duration idTokenLifetime;

	private final String defaultClientId;

	private final List<String> defaultScopes;

	/** Every key this pool made, to find a published key's private half by id. */
	private final List<SigningKey> keys = new CopyOnWriteArrayList<>();

	private final List<SigningKey> retired = new CopyOnWriteArrayList<>();

	private volatile SigningKey accessTokenKey;

	private volatile SigningKey idTokenKey;

	private CognitoUserPool(Builder builder) {
		this.server = builder.server;
		this.clock = builder.clock;
		this.region = builder.region;
		this.userPoolId = (builder.userPoolId != null) ? builder.userPoolId : builder.region + "_AtriumTest";
		if (!POOL_ID.matcher(this.userPoolId).matches() || !this.userPoolId.startsWith(this.region + "_")) {
			throw new IllegalArgumentException(
					"A Cognito pool id is '{region}_{id}', here region " + this.region + ": " + this.userPoolId);
		}
		this.accessTokenLifetime = builder.accessTokenLifetime;
		this.idTokenLifetime = builder.idTokenLifetime;
		this.defaultClientId = (builder.defaultClientId != null) ? builder.defaultClientId : newClientId();
		this.defaultScopes = List.copyOf(builder.defaultScopes);
		this.accessTokenKey = newKey();
		this.idTokenKey = newKey();
		this.server.serveJwks(jwksPath(), this.accessTokenKey, this.idTokenKey);
		this.server.serveJson(discoveryPath(), this::discoveryDocument);
	}

	/**
	 * Starts a pool with the defaults: region {@code us-east-1}, pool
	 * {@code us-east-1_AtriumTest}, one-hour tokens.
	 * @param server the server to publish on
	 * @param clock the clock that stamps tokens
	 * @return the pool, serving
	 */
	public static CognitoUserPool start(LocalJwksServer server, Clock clock) {
		return builder(server, clock).build();
	}

	/**
	 * A builder for a pool.
	 * @param server the server to publish on
	 * @param clock the clock that stamps tokens
	 * @return the builder
	 */
	public static Builder builder(LocalJwksServer server, Clock clock) {
		return new Builder(server, clock);
	}

	/**
	 * A new random app client id, 26 characters of {@code [a-z0-9]}.
	 * @return the client id
	 */
	public static String newClientId() {
		char[] id = new char[26];
		for (int i = 0; i < id.length; i++) {
			id[i] = CLIENT_ID_ALPHABET[RANDOM.nextInt(CLIENT_ID_ALPHABET.length)];
		}
		return new String(id);
	}

	/**
	 * The AWS region.
	 * @return the region
	 */
	public String region() {
		return this.region;
	}

	/**
	 * The pool id, {@code {region}_{id}}.
	 * @return the pool id
	 */
	public String userPoolId() {
		return this.userPoolId;
	}

	/**
	 * The local issuer, {@code http://127.0.0.1:{port}/{userPoolId}}.
	 * @return the issuer
	 */
	@Override
	public String issuer() {
		return this.server.origin() + "/" + this.userPoolId;
	}

	/**
	 * The issuer this pool would have on AWS,
	 * {@code https://cognito-idp.{region}.amazonaws.com/{userPoolId}}.
	 * @return the AWS issuer
	 */
	public String awsIssuer() {
		return "https://cognito-idp." + this.region + ".amazonaws.com/" + this.userPoolId;
	}

	/**
	 * The path of the JWKS on the server.
	 * @return {@code /{userPoolId}/.well-known/jwks.json}
	 */
	public String jwksPath() {
		return "/" + this.userPoolId + "/.well-known/jwks.json";
	}

	/**
	 * The path of the discovery document on the server.
	 * @return {@code /{userPoolId}/.well-known/openid-configuration}
	 */
	public String discoveryPath() {
		return "/" + this.userPoolId + "/.well-known/openid-configuration";
	}

	@Override
	public URI jwksUri() {
		return this.server.uri(jwksPath());
	}

	/**
	 * The discovery document's URI.
	 * @return {@code {issuer}/.well-known/openid-configuration}
	 */
	public URI discoveryUri() {
		return this.server.uri(discoveryPath());
	}

	/**
	 * The server this pool publishes on.
	 * @return the server
	 */
	public LocalJwksServer server() {
		return this.server;
	}

	@Override
	public Clock clock() {
		return this.clock;
	}

	/**
	 * The app client id {@link #validAccessToken()} is minted for.
	 * @return the client id
	 */
	public String defaultClientId() {
		return this.defaultClientId;
	}

	/**
	 * The scopes {@link #validAccessToken()} carries.
	 * @return the scopes
	 */
	public List<String> defaultScopes() {
		return this.defaultScopes;
	}

	@Override
	public SigningKey accessTokenKey() {
		return this.accessTokenKey;
	}

	/**
	 * The key ID tokens are signed with now.
	 * @return the ID-token key
	 */
	public SigningKey idTokenKey() {
		return this.idTokenKey;
	}

	/**
	 * Publishes a new access-token key and signs access tokens with it from now on. The
	 * previous key stays published until {@link #retireKey(String) retired}, as an issuer
	 * rotating gracefully does.
	 * @return the new key
	 */
	public SigningKey rotateAccessTokenKey() {
		SigningKey key = newKey();
		this.server.addKey(jwksPath(), key);
		this.accessTokenKey = key;
		return key;
	}

	/**
	 * Publishes a new ID-token key and signs ID tokens with it from now on.
	 * @return the new key
	 */
	public SigningKey rotateIdTokenKey() {
		SigningKey key = newKey();
		this.server.addKey(jwksPath(), key);
		this.idTokenKey = key;
		return key;
	}

	/**
	 * Removes a key from the JWKS and remembers it as {@link #retiredKeys() retired}. A
	 * key still in use for signing cannot be retired: rotate first.
	 * @param kid the key id
	 */
	public void retireKey(String kid) {
		if (this.accessTokenKey.kid().equals(kid) || this.idTokenKey.kid().equals(kid)) {
			throw new IllegalStateException("Key " + kid + " still signs tokens; rotate it first");
		}
		if (!this.server.removeKey(jwksPath(), kid)) {
			throw new IllegalArgumentException("No published key " + kid);
		}
		this.keys.stream().filter((key) -> key.kid().equals(kid)).findFirst().ifPresent(this.retired::add);
	}

	@Override
	public List<SigningKey> retiredKeys() {
		return List.copyOf(this.retired);
	}

	/**
	 * The key ids the JWKS publishes now.
	 * @return the key ids, in order
	 */
	public List<String> publishedKeyIds() {
		return this.server.keyIds(jwksPath());
	}

	/**
	 * A client-credentials (M2M) access token for the default client and scopes.
	 * @return the builder
	 */
	@Override
	public TokenBuilder validAccessToken() {
		return clientCredentials(this.defaultClientId, this.defaultScopes.toArray(String[]::new));
	}

	/**
	 * A client-credentials (M2M) access token, as the token endpoint or
	 * {@code GetClientToken} issues it.
	 * @param clientId the app client id (also the subject)
	 * @param scopes custom scopes, {@code resourceServerId/scopeName}
	 * @return the builder, ready to {@link TokenBuilder#sign() sign}
	 */
	public TokenBuilder clientCredentials(String clientId, String... scopes) {
		Objects.requireNonNull(clientId, "clientId");
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", clientId);
		claims.put("token_use", "access");
		claims.put("scope", String.join(" ", scopes));
		claims.put("auth_time", now);
		claims.put("iss", issuer());
		claims.put("exp", now + this.accessTokenLifetime.toSeconds());
		claims.put("iat", now);
		claims.put("version", 2);
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("client_id", clientId);
		return new TokenBuilder(header(this.accessTokenKey), claims, this.accessTokenKey);
	}

	/**
	 * A signed client-credentials (M2M) access token.
	 * @param clientId the app client id
	 * @param scopes custom scopes
	 * @return the token
	 */
	public String clientCredentialsToken(String clientId, String... scopes) {
		return clientCredentials(clientId, scopes).sign();
	}

	/**
	 * A user's access token. Without scopes it carries
	 * {@code aws.cognito.signin.user.admin}, as SDK sign-in gives.
	 * @param user the user
	 * @param clientId the app client the user signed in to
	 * @param scopes the scopes
	 * @return the builder
	 */
	public TokenBuilder userAccessToken(CognitoUser user, String clientId, String... scopes) {
		return userAccessToken(user, clientId, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				this.clock.instant(), scopes);
	}

	/**
	 * A user's access token bound to an API by resource binding (RFC 8707), which puts
	 * the resource in {@code aud} after {@code client_id}. Cognito offers this to user
	 * grants of managed login only, never to client credentials.
	 * @param user the user
	 * @param clientId the app client
	 * @param resource the resource URL
	 * @param scopes the scopes
	 * @return the builder
	 */
	public TokenBuilder resourceBoundUserAccessToken(CognitoUser user, String clientId, String resource,
			String... scopes) {
		return userAccessToken(user, clientId, scopes).claimAfter("client_id", "aud", resource);
	}

	/**
	 * A user's ID token, without {@code at_hash} (see {@link #signIn} for one with it).
	 * @param user the user
	 * @param clientId the app client, written to {@code aud}
	 * @return the builder
	 */
	public TokenBuilder idToken(CognitoUser user, String clientId) {
		return idToken(user, clientId, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				this.clock.instant());
	}

	/**
	 * The access and ID tokens of one sign-in, sharing {@code auth_time},
	 * {@code origin_jti} and {@code event_id}; the ID token carries the access token's
	 * {@code at_hash}.
	 * @param user the user
	 * @param clientId the app client
	 * @param scopes the access token's scopes
	 * @return both tokens, signed
	 */
	public UserTokens signIn(CognitoUser user, String clientId, String... scopes) {
		String originJti = UUID.randomUUID().toString();
		String eventId = UUID.randomUUID().toString();
		Instant authTime = this.clock.instant();
		String accessToken = userAccessToken(user, clientId, originJti, eventId, authTime, scopes).sign();
		TokenBuilder idToken = idToken(user, clientId, originJti, eventId, authTime);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("at_hash", atHash(accessToken));
		claims.putAll(idToken.claims());
		return new UserTokens(accessToken, new TokenBuilder(idToken.headers(), claims, idToken.key()).sign());
	}

	/**
	 * The OIDC {@code at_hash} of an access token: base64url of the left half of its
	 * SHA-256 (OpenID Connect Core 1.0, section 3.1.3.6, for RS256).
	 * @param accessToken the access token
	 * @return the hash
	 */
	public static String atHash(String accessToken) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
			return Base64URL.encode(Arrays.copyOf(digest, digest.length / 2)).toString();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private TokenBuilder userAccessToken(CognitoUser user, String clientId, String originJti, String eventId,
			Instant authTime, String... scopes) {
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", user.sub());
		if (!user.groups().isEmpty()) {
			claims.put("cognito:groups", user.groups());
		}
		claims.put("iss", issuer());
		claims.put("version", 2);
		claims.put("client_id", clientId);
		claims.put("origin_jti", originJti);
		claims.put("event_id", eventId);
		claims.put("token_use", "access");
		claims.put("scope", (scopes.length > 0) ? String.join(" ", scopes) : "aws.cognito.signin.user.admin");
		claims.put("auth_time", authTime.getEpochSecond());
		claims.put("exp", now + this.accessTokenLifetime.toSeconds());
		claims.put("iat", now);
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("username", user.username());
		return new TokenBuilder(header(this.accessTokenKey), claims, this.accessTokenKey);
	}

	private TokenBuilder idToken(CognitoUser user, String clientId, String originJti, String eventId,
			Instant authTime) {
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", user.sub());
		if (!user.groups().isEmpty()) {
			claims.put("cognito:groups", user.groups());
		}
		claims.put("email_verified", true);
		claims.put("iss", issuer());
		claims.put("cognito:username", user.username());
		claims.put("origin_jti", originJti);
		claims.put("aud", clientId);
		claims.put("event_id", eventId);
		claims.put("token_use", "id");
		claims.put("auth_time", authTime.getEpochSecond());
		claims.put("exp", now + this.idTokenLifetime.toSeconds());
		claims.put("iat", now);
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("email", user.email());
		return new TokenBuilder(header(this.idTokenKey), claims, this.idTokenKey);
	}

	private SigningKey newKey() {
		SigningKey key = SigningKey.rsaWithCognitoStyleKid();
		this.keys.add(key);
		return key;
	}

	private static Map<String, Object> header(SigningKey key) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("kid", key.kid());
		header.put("alg", key.algorithm().getName());
		return header;
	}

	private String discoveryDocument() {
		String domain = this.server.origin() + "/_domain/" + this.userPoolId;
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("authorization_endpoint", domain + "/oauth2/authorize");
		document.put("id_token_signing_alg_values_supported", List.of("RS256"));
		document.put("issuer", issuer());
		document.put("jwks_uri", jwksUri().toString());
		document.put("response_types_supported", List.of("code", "token"));
		document.put("scopes_supported", List.of("openid", "email", "phone", "profile"));
		document.put("subject_types_supported", List.of("public"));
		document.put("token_endpoint", domain + "/oauth2/token");
		document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
		document.put("userinfo_endpoint", domain + "/oauth2/userInfo");
		return Json.write(document);
	}

	/**
	 * Configures a {@link CognitoUserPool}.
	 */
	public static final class Builder {

		private final LocalJwksServer server;

		private final Clock clock;

		private String region = DEFAULT_REGION;

		private String userPoolId;

		private Duration accessTokenLifetime = DEFAULT_TOKEN_LIFETIME;

		private Duration idTokenLifetime = DEFAULT_TOKEN_LIFETIME;

		private String defaultClientId;

		private List<String> defaultScopes = List.of(DEFAULT_SCOPE);

		private Builder(LocalJwksServer server, Clock clock) {
			this.server = Objects.requireNonNull(server, "server");
			this.clock = Objects.requireNonNull(clock, "clock");
		}

		/**
		 * The AWS region; without {@link #userPoolId(String)} the pool id becomes
		 * {@code {region}_AtriumTest}.
		 * @param region the region, such as {@code eu-west-3}
		 * @return this builder
		 */
		public Builder region(String region) {
			if (!REGION.matcher(region).matches()) {
				throw new IllegalArgumentException("Not an AWS region: " + region);
			}
			this.region = region;
			return this;
		}

		/**
		 * The pool id, which must start with the region and an underscore.
		 * @param userPoolId the pool id
		 * @return this builder
		 */
		public Builder userPoolId(String userPoolId) {
			this.userPoolId = Objects.requireNonNull(userPoolId, "userPoolId");
			return this;
		}

		/**
		 * How long access tokens live.
		 * @param lifetime the lifetime
		 * @return this builder
		 */
		public Builder accessTokenLifetime(Duration lifetime) {
			this.accessTokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
			return this;
		}

		/**
		 * How long ID tokens live.
		 * @param lifetime the lifetime
		 * @return this builder
		 */
		public Builder idTokenLifetime(Duration lifetime) {
			this.idTokenLifetime = Objects.requireNonNull(lifetime, "lifetime");
			return this;
		}

		/**
		 * The app client of {@link CognitoUserPool#validAccessToken()}; a random one by
		 * default.
		 * @param clientId the client id
		 * @return this builder
		 */
		public Builder defaultClientId(String clientId) {
			this.defaultClientId = Objects.requireNonNull(clientId, "clientId");
			return this;
		}

		/**
		 * The scopes of {@link CognitoUserPool#validAccessToken()};
		 * {@value CognitoUserPool#DEFAULT_SCOPE} by default.
		 * @param scopes the scopes
		 * @return this builder
		 */
		public Builder defaultScopes(String... scopes) {
			this.defaultScopes = List.of(scopes);
			return this;
		}

		/**
		 * Makes the pool and starts serving its JWKS and discovery document.
		 * @return the pool
		 */
		public CognitoUserPool build() {
			return new CognitoUserPool(this);
		}

	}

}
