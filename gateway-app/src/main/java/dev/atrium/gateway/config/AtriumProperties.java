package dev.atrium.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.atrium.mcp.federation.FailurePolicy;
import dev.atrium.mcp.federation.NamingMode;
import dev.atrium.policy.auth.ClaimRule;
import dev.atrium.policy.auth.IssuerType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Atrium's configuration, under {@code atrium.*}, in the vocabulary of the seed
 * architecture: scenarios with a path and targets, targets with a URL.
 *
 * @param server what the MCP endpoints accept
 * @param session how client session ids are sealed
 * @param federation how targets are merged into one virtual server per scenario
 * @param demo the built-in demo target
 * @param issuers the token issuers scenarios may trust, by name
 * @param targets the upstream MCP servers, by name
 * @param resilience how calls to targets are guarded, for every target; a target may
 * override any value
 * @param scenarios the virtual MCP servers, by name
 * @param sts the embedded security token service
 * @param apiKeys the JWT API keys for third parties
 */
@ConfigurationProperties("atrium")
@Validated
public record AtriumProperties(@DefaultValue @Valid Server server, @DefaultValue @Valid Session session,
		@DefaultValue @Valid Federation federation, @DefaultValue @Valid Demo demo, Map<String, @Valid Issuer> issuers,
		Map<String, @Valid Target> targets, @Valid ResilienceProperties resilience,
		Map<String, @Valid Scenario> scenarios, @DefaultValue @Valid Sts sts, @DefaultValue @Valid ApiKeys apiKeys) {

	/** Target and scenario names: they appear in paths and in tool names. */
	public static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]{0,31}";

	/** The audience of STS tokens when {@code atrium.sts.audiences} is not set. */
	public static final String DEFAULT_STS_AUDIENCE = "atrium";

	public AtriumProperties {
		issuers = (issuers != null) ? Map.copyOf(issuers) : Map.of();
		targets = (targets != null) ? Map.copyOf(targets) : Map.of();
		scenarios = (scenarios != null) ? Map.copyOf(scenarios) : Map.of();
	}

	/**
	 * The resilience of one target: its own values, then {@code atrium.resilience}, then
	 * the defaults.
	 */
	public ResilienceProperties resilienceOf(String target) {
		Target properties = this.targets.get(target);
		return ResilienceProperties.DEFAULTS.overriddenBy(this.resilience)
			.overriddenBy((properties != null) ? properties.resilience() : null);
	}

	/**
	 * What the MCP endpoints accept.
	 *
	 * @param allowedHosts values of the {@code Host} header that are served (host, or
	 * host:port); others get 421, which stops DNS rebinding; {@code *} allows any
	 * @param allowedOrigins values of the {@code Origin} header that are served, a
	 * {@code *} standing for any port or subdomain part; requests without Origin are
	 * served; others get 403
	 * @param maxRequestBody the largest request body, also for chunked bodies; larger
	 * ones get 413
	 * @param strippedHeaders client headers never passed to a target on pass-through
	 * routes: context that only Atrium may assert (the caller's credentials are always
	 * stripped too)
	 */
	public record Server(@DefaultValue( {
			"localhost", "127.0.0.1", "[::1]" }) List<String> allowedHosts,
			@DefaultValue({ "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*" }) List<String> allowedOrigins,
			@DefaultValue("1MB") @NotNull DataSize maxRequestBody,
			@DefaultValue({ "X-Tenant-ID", "X-User-Context", "X-Actor-Context", "X-Delegation-Chain",
					"X-Business-Context", "X-Atrium-Context", "X-Third-Party-Client-ID", "X-Request-Source",
					"X-Amzn-Bedrock-AgentCore-Runtime-User-Id" }) List<String> strippedHeaders){

	}

	/**
	 * How client session ids are sealed.
	 *
	 * @param keys the key ring, the key that seals new sessions first; every replica of a
	 * deployment needs the same ring; when empty, a random key is made at start, and
	 * sessions neither survive a restart nor move between replicas
	 * @param lifetime how long a session id stays valid after initialize
	 */
	public record Session(List<@Valid SessionKey> keys, @DefaultValue("24h") @NotNull Duration lifetime) {

		public Session {
			keys = (keys != null) ? List.copyOf(keys) : List.of();
		}

	}

	/**
	 * One key of the session key ring.
	 *
	 * @param id short name written into every session id the key seals
	 * @param secret at least 32 characters of secret (e.g. {@code openssl rand -base64
	 * 48}); AES keys are derived from it with HKDF
	 */
	public record SessionKey(@NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,16}") String id,
			@NotNull @jakarta.validation.constraints.Size(min = 32) String secret) {

		@Override
		public String toString() {
			return "SessionKey[id=" + this.id + ", secret=<hidden>]";
		}

	}

	/**
	 * How targets are merged into one virtual server per scenario.
	 *
	 * @param naming when tool and prompt names get their target's prefix
	 * ({@code target___tool}): always, on-collision or unless-single-target
	 * @param maxNameLength the longest name handed to clients; longer names are shortened
	 * with a hash, never into a collision
	 * @param pageSize how many items one page of a merged list holds
	 * @param catalogTtl how often each target's catalog is read again
	 * @param catalogTimeout how long one catalog read may take
	 * @param initializeTimeout how long Atrium waits for a target when a client
	 * initialises; a target that does not answer in time gets its session later
	 * @param onTargetFailure what lists do while a target has no catalog: open lists the
	 * others, closed refuses the list
	 */
	public record Federation(@DefaultValue("always") @NotNull NamingMode naming,
			@DefaultValue("64") @Min(16) @Max(256) int maxNameLength,
			@DefaultValue("100") @Min(1) @Max(10000) int pageSize, @DefaultValue("5m") @NotNull Duration catalogTtl,
			@DefaultValue("10s") @NotNull Duration catalogTimeout,
			@DefaultValue("10s") @NotNull Duration initializeTimeout,
			@DefaultValue("open") @NotNull FailurePolicy onTargetFailure) {

	}

	/**
	 * The built-in demo target, served by Atrium itself at {@code /demo/mcp}.
	 *
	 * @param enabled whether the demo target exists; it is named {@code demo}
	 */
	public record Demo(@DefaultValue("true") boolean enabled) {

	}

	/**
	 * One upstream MCP server.
	 *
	 * @param url the target's streamable HTTP endpoint
	 * @param prefix what its tool and prompt names are prefixed with; the target's name
	 * when unset
	 * @param connectTimeout longest wait for a connection
	 * @param headers headers sent with every request to the target
	 * @param identity how the target learns who is calling: context-headers (signed
	 * context headers) or sts-token (a bearer token the STS mints for the target's
	 * audience, on the caller's behalf)
	 * @param audience the audience of the tokens minted for it; its URL when unset
	 * @param resilience its own circuit breaker, bulkhead, time limits and retries, in
	 * place of those of {@code atrium.resilience}
	 */
	public record Target(@NotNull URI url, @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9-]{0,31}") String prefix,
			@DefaultValue("5s") @NotNull Duration connectTimeout, Map<String, String> headers,
			@DefaultValue("context-headers") @NotNull TargetIdentity identity, String audience,
			@Valid ResilienceProperties resilience) {

		public Target {
			headers = (headers != null) ? Map.copyOf(headers) : Map.of();
		}

	}

	/** How a target learns who is calling. */
	public enum TargetIdentity {

		/** {@code X-User-Context} and the other context headers, signed. */
		CONTEXT_HEADERS,

		/** {@code Authorization: Bearer} with a token the STS mints for the target. */
		STS_TOKEN

	}

	/**
	 * One virtual MCP server.
	 *
	 * @param path the path prefix; the MCP endpoint is {@code {path}/mcp}
	 * @param targets the names of the targets it federates, in listing order
	 * @param naming overrides {@code atrium.federation.naming} for this scenario
	 * @param onTargetFailure overrides {@code atrium.federation.on-target-failure}
	 * @param issuers the names of the issuers whose tokens it accepts
	 * @param anonymous serves callers without a token; only for local use, and only when
	 * no issuer is listed
	 * @param scopes operation to the scopes it needs (any one), replacing the defaults
	 * for the operations listed; keys are MCP methods, written {@code "[tools/call]"}
	 */
	public record Scenario(@NotNull @Pattern(regexp = "/[a-z0-9][a-z0-9-]*") String path,
			@NotEmpty List<String> targets, NamingMode naming, FailurePolicy onTargetFailure, List<String> issuers,
			@DefaultValue("false") boolean anonymous, Map<String, List<String>> scopes) {

		public Scenario {
			targets = (targets != null) ? List.copyOf(targets) : List.of();
			issuers = (issuers != null) ? List.copyOf(issuers) : List.of();
			scopes = (scopes != null) ? Map.copyOf(scopes) : Map.of();
		}

	}

	/**
	 * A token issuer scenarios may trust.
	 *
	 * @param type keycloak, cognito, oidc, atrium-sts or api-key; each adds its own rules
	 * @param issuerUri the exact {@code iss} of its tokens
	 * @param jwksUri its signing keys; derived for keycloak
	 * ({@code {issuer}/protocol/openid-connect/certs}) and cognito
	 * ({@code {issuer}/.well-known/jwks.json}), required for the others
	 * @param algorithms the only signature algorithms accepted
	 * @param audiences audiences of which a token must carry one (the scenario's resource
	 * URI, RFC 8707); empty: not checked (Cognito access tokens carry none)
	 * @param clients clients ({@code client_id} or {@code azp}) of which a token must
	 * come from one; empty: any
	 * @param claims further conditions on claims
	 * @param scopePrefix removed from scopes before policies see them (Cognito's resource
	 * server id, e.g. {@code atrium/})
	 * @param requiredType the {@code typ} header tokens must carry, e.g. {@code at+jwt}
	 * (RFC 9068); unset: none, {@code JWT} or {@code at+jwt}
	 * @param clockSkew how far {@code exp}, {@code nbf} and {@code iat} may be off
	 * @param jwksCacheTtl how long fetched keys are kept; an unknown {@code kid}
	 * refetches at most once per 30 seconds
	 */
	public record Issuer(@NotNull IssuerType type, @NotNull String issuerUri, URI jwksUri,
			@DefaultValue("RS256") @NotEmpty List<String> algorithms, List<String> audiences, List<String> clients,
			List<@Valid Claim> claims, String scopePrefix, String requiredType,
			@DefaultValue("60s") @NotNull Duration clockSkew, @DefaultValue("5m") @NotNull Duration jwksCacheTtl) {

		public Issuer {
			audiences = (audiences != null) ? List.copyOf(audiences) : List.of();
			clients = (clients != null) ? List.copyOf(clients) : List.of();
			claims = (claims != null) ? List.copyOf(claims) : List.of();
		}

	}

	/**
	 * A condition on a claim.
	 *
	 * @param claim the claim's name
	 * @param operator equals, contains or contains-any
	 * @param values the value, or the values for contains-any
	 */
	public record Claim(@NotNull String claim, @NotNull ClaimRule.Operator operator, @NotEmpty List<String> values) {

	}

	/**
	 * The embedded security token service (RFC 8693), under
	 * {@code {issuer}/oauth2/token}.
	 *
	 * @param enabled whether the STS serves requests and its issuer can be trusted
	 * @param issuer the {@code iss} of its tokens, the URL clients reach it at; its path
	 * is where the endpoints are mounted
	 * @param tokenLifetime how long an issued token lives, never beyond its subject token
	 * @param keySecret the secret its signing keys are derived from (at least 32
	 * characters); every replica needs the same; when unset, a random one is made at
	 * start and tokens neither survive a restart nor verify on other replicas
	 * @param keyRotation how long each derived signing key signs
	 * @param audiences the audiences and resources (RFC 8707) tokens may be issued for
	 * @param defaultAudience the audience of tokens whose request names none; the first
	 * audience when unset
	 * @param subjectIssuers the issuers (names in {@code atrium.issuers}) whose tokens
	 * may be exchanged, as subject or actor; all of them when empty
	 * @param clients the clients of the STS, by {@code client_id}
	 * @param policies who may act for whom
	 * @param revocation where revoked token ids are kept
	 * @param devClientSecret the secret of the local development client {@code local-dev}
	 * (client credentials; scopes mcp:read, mcp:write, mcp:debug), which exists only
	 * while Atrium listens on a loopback address; the local default sets it, a deployment
	 * does not
	 */
	public record Sts(@DefaultValue("true") boolean enabled,
			@DefaultValue("http://localhost:8080/sts") @NotNull URI issuer,
			@DefaultValue("5m") @NotNull Duration tokenLifetime, String keySecret,
			@DefaultValue("24h") @NotNull Duration keyRotation, List<String> audiences, String defaultAudience,
			List<String> subjectIssuers, Map<String, @Valid StsClient> clients, List<@Valid StsPolicy> policies,
			@DefaultValue @Valid Revocation revocation, String devClientSecret) {

		/** The client id of the local development client. */
		public static final String DEV_CLIENT = "local-dev";

		public Sts {
			audiences = (audiences != null) ? List.copyOf(audiences) : List.of();
			subjectIssuers = (subjectIssuers != null) ? List.copyOf(subjectIssuers) : List.of();
			clients = (clients != null) ? Map.copyOf(clients) : Map.of();
			policies = (policies != null) ? List.copyOf(policies) : List.of();
		}

		@Override
		public String toString() {
			return "Sts[enabled=" + this.enabled + ", issuer=" + this.issuer + ", clients=" + this.clients.keySet()
					+ ", keySecret=" + ((this.keySecret != null) ? "<hidden>" : "random") + "]";
		}

	}

	/**
	 * A client of the STS.
	 *
	 * @param secret its secret, for client_secret_basic and client_secret_post
	 * @param jwks its public keys as a JWK Set (JSON), for private_key_jwt
	 * @param grantTypes token-exchange and/or client-credentials
	 * @param scopes what its own client-credentials tokens may carry
	 * @param tenant the tenant of its own client-credentials tokens
	 * @param requestOrigin written into {@code business_context.request_origin}
	 * @param agent {@code agent_type}, {@code version}, {@code deployment_env} for the
	 * {@code act} claim when it acts for a user
	 */
	public record StsClient(String secret, String jwks, @NotEmpty List<StsGrant> grantTypes, List<String> scopes,
			String tenant, String requestOrigin, Map<String, String> agent) {

		public StsClient {
			scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
			agent = (agent != null) ? Map.copyOf(agent) : Map.of();
		}

		@Override
		public String toString() {
			return "StsClient[grantTypes=" + this.grantTypes + ", secret="
					+ ((this.secret != null) ? "<hidden>" : "none") + "]";
		}

	}

	/** The grants an STS client may use. */
	public enum StsGrant {

		TOKEN_EXCHANGE, CLIENT_CREDENTIALS

	}

	/**
	 * A delegation policy, as the seed's {@code delegation_policies}.
	 *
	 * @param name its name, written into the tokens it allows
	 * @param subjectPattern the users it applies to ({@code *} for any run of characters)
	 * @param actorPattern the agents (client ids) that may act for them
	 * @param allowedScopes the most a delegated token carries
	 * @param maxDelegationDepth the longest chain of actors
	 * @param impersonation whether the actor may get a token without {@code act}
	 * @param complianceLevel written into {@code business_context}
	 * @param dataClassification written into {@code business_context}
	 */
	public record StsPolicy(@NotNull String name, @NotNull String subjectPattern, @NotNull String actorPattern,
			@NotEmpty List<String> allowedScopes, @DefaultValue("1") @Min(1) @Max(16) int maxDelegationDepth,
			@DefaultValue("false") boolean impersonation, String complianceLevel, String dataClassification) {

	}

	/**
	 * Where revoked STS token ids are kept.
	 *
	 * @param redisUri a Redis shared by all replicas (e.g. {@code redis://host:6379});
	 * unset: in memory, per replica
	 * @param timeout the longest wait for Redis on a lookup
	 * @param failOpen accept STS tokens when Redis does not answer; refuse them when
	 * false
	 */
	public record Revocation(URI redisUri, @DefaultValue("250ms") @NotNull Duration timeout,
			@DefaultValue("false") boolean failOpen) {

	}

	/**
	 * JWT API keys for third parties (the seed's {@code api_key_jwt}), administered at
	 * {@code /admin/api-keys}.
	 *
	 * @param enabled whether keys are issued and the administration endpoint exists
	 * @param issuer the {@code iss} of the keys; {@code {atrium.sts.issuer}/api-keys} in
	 * the default configuration
	 * @param defaultLifetime how long a key lives when its request does not say
	 * @param maxLifetime the longest a key may live
	 * @param keyRotation how long each derived signing key of API keys signs
	 * @param rateTiers the rate tiers a key may name
	 * @param adminIssuers the issuers (names in {@code atrium.issuers}) whose tokens with
	 * the scope {@code gateway:admin} may administer keys; none: nobody may
	 */
	public record ApiKeys(@DefaultValue("true") boolean enabled,
			@DefaultValue("http://localhost:8080/sts/api-keys") @NotNull URI issuer,
			@DefaultValue("30d") @NotNull Duration defaultLifetime, @DefaultValue("365d") @NotNull Duration maxLifetime,
			@DefaultValue("30d") @NotNull Duration keyRotation, @DefaultValue( {
					"standard", "premium" }) List<String> rateTiers,
			List<String> adminIssuers){

		public ApiKeys {
			rateTiers = (rateTiers != null) ? List.copyOf(rateTiers) : List.of();
			adminIssuers = (adminIssuers != null) ? List.copyOf(adminIssuers) : List.of();
		}

	}

}
