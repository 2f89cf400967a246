package dev.atrium.testsupport;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * A generic OpenID Connect issuer on a {@link LocalJwksServer}, for Keycloak-like and
 * other OIDC providers in unit and route tests that need no real one.
 *
 * <p>
 * By default it looks like a Keycloak realm: issuer
 * {@code http://127.0.0.1:{port}/realms/atrium}, JWKS at
 * {@code {issuer}/protocol/openid-connect/certs}, RS256 keys whose key id is their RFC
 * 7638 thumbprint, header {@code alg, typ, kid}. It mints RFC 9068 ("JWT Profile for
 * OAuth 2.0 Access Tokens") access tokens: header {@code typ} {@code at+jwt} (or
 * {@code JWT}, or none, as configured), claims
 * {@code exp, iat, nbf, jti, iss, aud, sub, azp, client_id,
 * scope} plus any default claims configured. This is a plausible provider, not a copy of
 * one: Keycloak itself writes {@code typ: JWT} and no {@code nbf} or {@code client_id} in
 * user tokens, which the builder can reproduce by removing them.
 *
 * <p>
 * It serves the OIDC discovery document at
 * {@code {issuer}/.well-known/openid-configuration} and the RFC 8414 authorization server
 * metadata at {@code {origin}/.well-known/oauth-authorization-server{issuer path}} (the
 * path-inserted form of RFC 8414 section 3.1); either can be switched off, to test
 * discovery fallbacks.
 */
public final class OidcIssuer implements TokenIssuer {

	/** The default issuer path, a Keycloak realm. */
	public static final String DEFAULT_PATH = "/realms/atrium";

	/** The default audience. */
	public static final String DEFAULT_AUDIENCE = "atrium-gateway";

	/** The default client (written to {@code azp} and {@code client_id}). */
	public static final String DEFAULT_CLIENT_ID = "atrium-agent";

	/** The default subject of {@link #validAccessToken()}. */
	public static final String DEFAULT_SUBJECT = "f2a1c3d4-0000-4000-8000-00000000a7e5";

	/** The default scope of {@link #validAccessToken()}. */
	public static final String DEFAULT_SCOPE = "mcp:read";

	/** The default token lifetime, Keycloak's default of 5 minutes. */
	public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

	private final LocalJwksServer server;

	private final Clock clock;

	private final String path;

	private final String jwksPath;

	private final String tokenType;

	private final List<String> audiences;

	private final String clientId;

	private final Duration lifetime;

	private final Map<String, Object> defaultClaims;

	private final boolean oidcDiscovery;

	private final boolean authorizationServerMetadata;

	private final List<SigningKey> keys = new CopyOnWriteArrayList<>();

	private final List<SigningKey> retired = new CopyOnWriteArrayList<>();

	private volatile SigningKey key;

	private OidcIssuer(Builder builder) {
		this.server = builder.server;
		this.clock = builder.clock;
		this.path = builder.path;
		this.jwksPath = (builder.jwksPath != null) ? builder.jwksPath : builder.path + "/protocol/openid-connect/certs";
		this.tokenType = builder.tokenType;
		this.audiences = List.copyOf(builder.audiences);
		this.clientId = builder.clientId;
		this.lifetime = builder.lifetime;
		this.defaultClaims = new LinkedHashMap<>(builder.defaultClaims);
		this.oidcDiscovery = builder.oidcDiscovery;
		this.authorizationServerMetadata = builder.authorizationServerMetadata;
		this.key = newKey(builder.algorithm);
		this.server.serveJwks(this.jwksPath, this.key);
		if (this.oidcDiscovery) {
			this.server.serveJson(discoveryPath(), () -> metadata(true));
		}
		if (this.authorizationServerMetadata) {
			this.server.serveJson(authorizationServerMetadataPath(), () -> metadata(false));
		}
	}

	/**
	 * Starts an issuer with the defaults (a Keycloak-like realm, RS256, {@code at+jwt}).
	 * @param server the server to publish on
	 * @param clock the clock that stamps tokens
	 * @return the issuer, serving
	 */
	public static OidcIssuer start(LocalJwksServer server, Clock clock) {
		return builder(server, clock).build();
	}

	/**
	 * A builder for an issuer.
	 * @param server the server to publish on
	 * @param clock the clock that stamps tokens
	 * @return the builder
	 */
	public static Builder builder(LocalJwksServer server, Clock clock) {
		return new Builder(server, clock);
	}

	@Override
	public String issuer() {
		return this.server.origin() + this.path;
	}

	@Override
	public URI jwksUri() {
		return this.server.uri(this.jwksPath);
	}

	/**
	 * The path of the JWKS on the server.
	 * @return the path
	 */
	public String jwksPath() {
		return this.jwksPath;
	}

	/**
	 * The path of the OIDC discovery document on the server.
	 * @return {@code {issuer path}/.well-known/openid-configuration}
	 */
	public String discoveryPath() {
		return this.path + "/.well-known/openid-configuration";
	}

	/**
	 * The OIDC discovery document's URI (served unless switched off).
	 * @return the URI
	 */
	public URI discoveryUri() {
		return this.server.uri(discoveryPath());
	}

	/**
	 * The path of the RFC 8414 metadata on the server.
	 * @return {@code /.well-known/oauth-authorization-server{issuer path}}
	 */
	public String authorizationServerMetadataPath() {
		return "/.well-known/oauth-authorization-server" + this.path;
	}

	/**
	 * The RFC 8414 metadata's URI (served unless switched off).
	 * @return the URI
	 */
	public URI authorizationServerMetadataUri() {
		return this.server.uri(authorizationServerMetadataPath());
	}

	/**
	 * The server this issuer publishes on.
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
	 * The {@code typ} header of access tokens.
	 * @return the type, or {@code null} when tokens carry none
	 */
	public String tokenType() {
		return this.tokenType;
	}

	/**
	 * The audiences of access tokens.
	 * @return the audiences
	 */
	public List<String> audiences() {
		return this.audiences;
	}

	/**
	 * The client written to {@code azp} and {@code client_id}.
	 * @return the client id
	 */
	public String clientId() {
		return this.clientId;
	}

	@Override
	public SigningKey accessTokenKey() {
		return this.key;
	}

	/**
	 * Publishes a new key of the current algorithm and signs with it from now on; the
	 * previous key stays published until {@link #retireKey(String) retired}.
	 * @return the new key
	 */
	public SigningKey rotateKey() {
		return rotateKey(this.key.algorithm());
	}

	/**
	 * Publishes a new key of the given algorithm and signs with it from now on.
	 * @param algorithm RS256 or ES256
	 * @return the new key
	 */
	public SigningKey rotateKey(JWSAlgorithm algorithm) {
		SigningKey next = newKey(algorithm);
		this.server.addKey(this.jwksPath, next);
		this.key = next;
		return next;
	}

	/**
	 * Removes a key from the JWKS and remembers it as retired. The signing key cannot be
	 * retired: rotate first.
	 * @param kid the key id
	 */
	public void retireKey(String kid) {
		if (this.key.kid().equals(kid)) {
			throw new IllegalStateException("Key " + kid + " still signs tokens; rotate it first");
		}
		if (!this.server.removeKey(this.jwksPath, kid)) {
			throw new IllegalArgumentException("No published key " + kid);
		}
		this.keys.stream().filter((candidate) -> candidate.kid().equals(kid)).findFirst().ifPresent(this.retired::add);
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
		return this.server.keyIds(this.jwksPath);
	}

	/**
	 * An access token for {@link #DEFAULT_SUBJECT} with {@link #DEFAULT_SCOPE}.
	 * @return the builder
	 */
	@Override
	public TokenBuilder validAccessToken() {
		return accessToken(DEFAULT_SUBJECT, DEFAULT_SCOPE);
	}

	/**
	 * An access token.
	 * @param subject the subject
	 * @param scopes the scopes, written space-separated
	 * @return the builder, ready to {@link TokenBuilder#sign() sign}
	 */
	public TokenBuilder accessToken(String subject, String... scopes) {
		Objects.requireNonNull(subject, "subject");
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("exp", now + this.lifetime.toSeconds());
		claims.put("iat", now);
		claims.put("nbf", now);
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("iss", issuer());
		claims.put("aud", (this.audiences.size() == 1) ? this.audiences.get(0) : this.audiences);
		claims.put("sub", subject);
		claims.put("typ", "Bearer");
		claims.put("azp", this.clientId);
		claims.put("client_id", this.clientId);
		claims.put("scope", String.join(" ", scopes));
		claims.putAll(this.defaultClaims);
		SigningKey signing = this.key;
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", signing.algorithm().getName());
		if (this.tokenType != null) {
			header.put("typ", this.tokenType);
		}
		header.put("kid", signing.kid());
		return new TokenBuilder(header, claims, signing);
	}

	/**
	 * A signed access token.
	 * @param subject the subject
	 * @param scopes the scopes
	 * @return the token
	 */
	public String accessTokenFor(String subject, String... scopes) {
		return accessToken(subject, scopes).sign();
	}

	private SigningKey newKey(JWSAlgorithm algorithm) {
		SigningKey made;
		if (JWSAlgorithm.RS256.equals(algorithm)) {
			made = SigningKey.rsaWithThumbprintKid();
		}
		else if (JWSAlgorithm.ES256.equals(algorithm)) {
			made = SigningKey.ec256WithThumbprintKid();
		}
		else {
			throw new IllegalArgumentException("RS256 or ES256, not " + algorithm);
		}
		this.keys.add(made);
		return made;
	}

	private String metadata(boolean oidc) {
		String issuer = issuer();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", issuer);
		document.put("authorization_endpoint", issuer + "/protocol/openid-connect/auth");
		document.put("token_endpoint", issuer + "/protocol/openid-connect/token");
		if (oidc) {
			document.put("userinfo_endpoint", issuer + "/protocol/openid-connect/userinfo");
		}
		document.put("jwks_uri", jwksUri().toString());
		document.put("grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
		document.put("response_types_supported", List.of("code"));
		if (oidc) {
			document.put("subject_types_supported", List.of("public"));
			document.put("id_token_signing_alg_values_supported", List.of(this.key.algorithm().getName()));
		}
		document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "private_key_jwt"));
		document.put("code_challenge_methods_supported", List.of("S256"));
		document.put("scopes_supported", List.of("openid", DEFAULT_SCOPE));
		return Json.write(document);
	}

	/**
	 * Configures an {@link OidcIssuer}.
	 */
	public static final class Builder {

		private final LocalJwksServer server;

		private final Clock clock;

		private String path = DEFAULT_PATH;

		private String jwksPath;

		private JWSAlgorithm algorithm = JWSAlgorithm.RS256;

		private String tokenType = "at+jwt";

		private List<String> audiences = List.of(DEFAULT_AUDIENCE);

		private String clientId = DEFAULT_CLIENT_ID;

		private Duration lifetime = DEFAULT_LIFETIME;

		private final Map<String, Object> defaultClaims = new LinkedHashMap<>();

		private boolean oidcDiscovery = true;

		private boolean authorizationServerMetadata = true;

		private Builder(LocalJwksServer server, Clock clock) {
			this.server = Objects.requireNonNull(server, "server");
			this.clock = Objects.requireNonNull(clock, "clock");
		}

		/**
		 * The issuer's path on the server; {@value OidcIssuer#DEFAULT_PATH} by default.
		 * @param path a path starting with {@code /}, without a trailing slash
		 * @return this builder
		 */
		public Builder path(String path) {
			if (!path.startsWith("/") || path.endsWith("/")) {
				throw new IllegalArgumentException("An issuer path starts with '/' and does not end with one: " + path);
			}
			this.path = path;
			return this;
		}

		/**
		 * The JWKS path; {@code {issuer path}/protocol/openid-connect/certs} by default.
		 * @param jwksPath the path
		 * @return this builder
		 */
		public Builder jwksPath(String jwksPath) {
			this.jwksPath = Objects.requireNonNull(jwksPath, "jwksPath");
			return this;
		}

		/**
		 * The signing algorithm, RS256 (default, 2048-bit keys) or ES256.
		 * @param algorithm the algorithm
		 * @return this builder
		 */
		public Builder algorithm(JWSAlgorithm algorithm) {
			this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
			return this;
		}

		/**
		 * The {@code typ} header of access tokens: {@code at+jwt} (default), {@code JWT},
		 * or {@code null} for none.
		 * @param tokenType the type
		 * @return this builder
		 */
		public Builder tokenType(String tokenType) {
			this.tokenType = tokenType;
			return this;
		}

		/**
		 * The audiences; one is written as a string, several as an array.
		 * @param audiences the audiences
		 * @return this builder
		 */
		public Builder audiences(String... audiences) {
			if (audiences.length == 0) {
				throw new IllegalArgumentException("At least one audience");
			}
			this.audiences = List.of(audiences);
			return this;
		}

		/**
		 * The client written to {@code azp} and {@code client_id}.
		 * @param clientId the client id
		 * @return this builder
		 */
		public Builder clientId(String clientId) {
			this.clientId = Objects.requireNonNull(clientId, "clientId");
			return this;
		}

		/**
		 * How long access tokens live; 5 minutes by default.
		 * @param lifetime the lifetime
		 * @return this builder
		 */
		public Builder lifetime(Duration lifetime) {
			this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
			return this;
		}

		/**
		 * A claim every access token carries, after the standard ones.
		 * @param name the claim name
		 * @param value its value
		 * @return this builder
		 */
		public Builder defaultClaim(String name, Object value) {
			this.defaultClaims.put(name, value);
			return this;
		}

		/**
		 * Whether the OIDC discovery document is served; yes by default.
		 * @param serve whether to serve it
		 * @return this builder
		 */
		public Builder oidcDiscovery(boolean serve) {
			this.oidcDiscovery = serve;
			return this;
		}

		/**
		 * Whether the RFC 8414 metadata is served; yes by default.
		 * @param serve whether to serve it
		 * @return this builder
		 */
		public Builder authorizationServerMetadata(boolean serve) {
			this.authorizationServerMetadata = serve;
			return this;
		}

		/**
		 * Makes the issuer and starts serving its documents.
		 * @return the issuer
		 */
		public OidcIssuer build() {
			return new OidcIssuer(this);
		}

	}

}
