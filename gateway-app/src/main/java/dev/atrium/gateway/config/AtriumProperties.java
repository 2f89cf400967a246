package dev.atrium.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.mcp.client.TargetEra;
import dev.atrium.mcp.client.credentials.ClientRegistration;
import dev.atrium.mcp.client.credentials.SigV4Credentials;
import dev.atrium.mcp.agentcore.AgentCoreRuntime;
import dev.atrium.mcp.federation.FailurePolicy;
import dev.atrium.mcp.federation.NamingMode;
import dev.atrium.mcp.stream.StreamSettings;
import dev.atrium.observability.audit.ArgumentRedaction;
import dev.atrium.observability.audit.FsyncPolicy;
import dev.atrium.policy.auth.ClaimRule;
import dev.atrium.policy.permission.PermissionLevel;
import dev.atrium.policy.permission.ScenarioPermissions;
import dev.atrium.policy.ratelimit.RateKey;
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
 * @param rateLimits the rate tiers and where buckets are kept
 * @param tenancy how callers' tenants are read
 * @param audit the audit trail
 * @param streams how SSE streams to clients are kept for resumption
 * @param replica how this replica is reached by the others of its deployment
 */
@ConfigurationProperties("atrium")
@Validated
public record AtriumProperties(@DefaultValue @Valid Server server, @DefaultValue @Valid Session session,
		@DefaultValue @Valid Federation federation, @DefaultValue @Valid Demo demo, Map<String, @Valid Issuer> issuers,
		Map<String, @Valid Target> targets, @Valid ResilienceProperties resilience,
		Map<String, @Valid Scenario> scenarios, @DefaultValue @Valid Sts sts, @DefaultValue @Valid ApiKeys apiKeys,
		@DefaultValue @Valid RateLimits rateLimits, @DefaultValue @Valid Tenancy tenancy,
		@DefaultValue @Valid Audit audit, @DefaultValue @Valid Streams streams, @DefaultValue @Valid Replica replica) {

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
	 * @param bodyReadTimeout how long the whole request body may take to arrive, from
	 * when its headers did; slower ones get 408
	 * @param maxStreamsPerClient how many SSE streams one client (its caller id, or its
	 * address when anonymous) may hold open at once; a request that could open one more
	 * gets 429
	 * @param maxJsonDepth the deepest nesting of objects and arrays in a client message;
	 * deeper ones get 400 with a parse error
	 * @param maxJsonNumberLength the most characters of one number in a client message;
	 * longer ones get 400 with a parse error
	 * @param strippedHeaders client headers never passed to a target on pass-through
	 * routes: context that only Atrium may assert (the caller's credentials are always
	 * stripped too)
	 */
	public record Server(@DefaultValue( {
			"localhost", "127.0.0.1", "[::1]" }) List<String> allowedHosts,
			@DefaultValue({ "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*" }) List<String> allowedOrigins,
			@DefaultValue("1MB") @NotNull DataSize maxRequestBody,
			@DefaultValue("10s") @NotNull Duration bodyReadTimeout,
			@DefaultValue("32") @Min(1) @Max(100000) int maxStreamsPerClient,
			@DefaultValue("64") @Min(1) @Max(1000) int maxJsonDepth,
			@DefaultValue("100") @Min(1) @Max(10000) int maxJsonNumberLength,
			@DefaultValue({ "X-Tenant-ID", "X-User-Context", "X-Actor-Context", "X-Delegation-Chain",
					"X-Business-Context", "X-Atrium-Context", "X-Third-Party-Client-ID", "X-Request-Source",
					"X-Amzn-Bedrock-AgentCore-Runtime-User-Id" }) List<String> strippedHeaders){

	}

	/**
	 * How the SSE streams sent to clients are kept for resumption with {@code GET} and
	 * {@code Last-Event-ID}; each replica keeps the streams it opened.
	 *
	 * @param resumeWindow how long a call goes on, and its events are kept, after its
	 * client's connection broke (then the target is sent
	 * {@code notifications/cancelled}); and how long an ended stream can still be resumed
	 * @param maxEventsPerStream how many of a stream's last events are kept for a client
	 * that reconnects; a client that missed more cannot resume (400)
	 * @param maxStreams how many streams one replica keeps for resumption; beyond that
	 * the ended ones active least recently are forgotten first, and a new stream is
	 * relayed without being resumable when none has ended
	 * @param retry the reconnection delay sent to clients in the SSE {@code retry} field
	 */
	public record Streams(@DefaultValue("30s") @NotNull Duration resumeWindow,
			@DefaultValue("1000") @Min(1) @Max(1000000) int maxEventsPerStream,
			@DefaultValue("10000") @Min(1) @Max(10000000) int maxStreams, @DefaultValue("1s") @NotNull Duration retry) {

		public StreamSettings settings() {
			return new StreamSettings(this.resumeWindow, this.maxEventsPerStream, this.maxStreams, this.retry);
		}

	}

	/**
	 * How this replica is reached by the other replicas of its deployment, to which it
	 * hands the resumption of a stream it does not keep.
	 *
	 * @param advertisedUrl this replica's own address as the others reach it, scheme,
	 * host and port only (e.g. {@code http://10.0.3.17:8080}, the pod's IP); sealed into
	 * every event id, so that a resumption that reaches another replica is handed to this
	 * one; unset: streams are resumed only on the replica that opened them
	 * @param connectTimeout how long connecting to the replica that holds a stream may
	 * take; past it the client gets 400, as for a stream nobody keeps
	 * @param answerTimeout how long the replica that holds a stream may take to start
	 * answering a handed-off resumption (status and headers, connection included); the
	 * stream itself then lasts as long as it does
	 */
	public record Replica(URI advertisedUrl, @DefaultValue("1s") @NotNull Duration connectTimeout,
			@DefaultValue("5s") @NotNull Duration answerTimeout) {

	}

	/**
	 * How client session ids are sealed.
	 *
	 * @param keys the key ring, the key that seals new sessions first; every replica of a
	 * deployment needs the same ring; when empty, a random key is made at start, and
	 * sessions neither survive a restart nor move between replicas
	 * @param lifetime how long a session id stays valid after initialize
	 * @param terminations where sessions that clients ended are recorded
	 */
	public record Session(List<@Valid SessionKey> keys, @DefaultValue("24h") @NotNull Duration lifetime,
			@DefaultValue @Valid Terminations terminations) {

		public Session {
			keys = (keys != null) ? List.copyOf(keys) : List.of();
		}

	}

	/**
	 * Where sessions that clients ended with {@code DELETE} are recorded. Shared by the
	 * replicas, it also lets Atrium open a new session with a target that forgot the
	 * client's (restart, idle AgentCore runtime) instead of ending the client's session.
	 *
	 * @param redisUri a Redis shared by all replicas (e.g. {@code redis://host:6379});
	 * unset: in memory, per replica, and a target's 404 ends the client's session
	 * @param timeout the longest wait for Redis when a target has forgotten a session;
	 * without an answer the session is taken as ended
	 */
	public record Terminations(URI redisUri, @DefaultValue("250ms") @NotNull Duration timeout) {

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
	 * @param inputWindow how long a call that asked its client for input across MCP
	 * revisions waits: an older target's call held for a 2026-07-28 client's retry (then
	 * cancelled at the target), or an older client's answers to a 2026-07-28 target
	 * @param maxHeldCalls how many calls one replica holds open for 2026-07-28 clients'
	 * retries at once; beyond that a target's request fails the call
	 */
	public record Federation(@DefaultValue("always") @NotNull NamingMode naming,
			@DefaultValue("64") @Min(16) @Max(256) int maxNameLength,
			@DefaultValue("100") @Min(1) @Max(10000) int pageSize, @DefaultValue("5m") @NotNull Duration catalogTtl,
			@DefaultValue("10s") @NotNull Duration catalogTimeout,
			@DefaultValue("10s") @NotNull Duration initializeTimeout,
			@DefaultValue("open") @NotNull FailurePolicy onTargetFailure,
			@DefaultValue("5m") @NotNull Duration inputWindow, @DefaultValue("10000") @Min(1) int maxHeldCalls) {

	}

	/**
	 * The built-in demo target, served by Atrium itself at {@code /demo/mcp}.
	 *
	 * @param enabled whether the demo target exists; it is named {@code demo}
	 */
	public record Demo(@DefaultValue("true") boolean enabled) {

	}

	/**
	 * One upstream MCP server, at a URL or on AgentCore Runtime, or a REST API described
	 * by OpenAPI that Atrium serves as one.
	 *
	 * @param url the target's streamable HTTP endpoint; unset for an AgentCore Runtime or
	 * OpenAPI target
	 * @param prefix what its tool and prompt names are prefixed with; the target's name
	 * when unset
	 * @param connectTimeout longest wait for a connection
	 * @param headers headers sent with every request to the target (for an OpenAPI
	 * target, to its REST API)
	 * @param identity how the target learns who is calling: context-headers (signed
	 * context headers) or sts-token (a bearer token the STS mints for the target's
	 * audience, on the caller's behalf)
	 * @param audience the audience of the tokens minted for it; its URL when unset
	 * @param tenants the tenants it belongs to: only their callers see and reach it;
	 * empty: shared by every caller
	 * @param resilience its own circuit breaker, bulkhead, time limits and retries, in
	 * place of those of {@code atrium.resilience}
	 * @param credentials how Atrium proves its own identity to it: none, api-key, oauth2
	 * or sigv4; these headers override {@code headers} of the same name. For an OpenAPI
	 * target they go to its REST API.
	 * @param agentcore the AgentCore Runtime that hosts it, in place of {@code url}
	 * @param openapi the REST API whose operations are its tools, in place of {@code url}
	 * @param regions the same MCP server in several regions, by region name, in place of
	 * {@code url}: calls go to the preferred region that is healthy and that the caller's
	 * tenant may use
	 * @param failover when the calls of a regional target leave a region that still
	 * answers, but slowly
	 * @param lambda the AWS Lambda function that runs its tools, in place of {@code url}
	 * @param era whether it speaks MCP with sessions (legacy: 2025-11-25 and before) or
	 * without (modern: 2026-07-28); auto asks it once per endpoint with
	 * {@code server/discover}, legacy skips that question, modern never opens a session
	 */
	public record Target(URI url, @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9-]{0,31}") String prefix,
			@DefaultValue("5s") @NotNull Duration connectTimeout, Map<String, String> headers,
			@DefaultValue("context-headers") @NotNull TargetIdentity identity, String audience, List<String> tenants,
			@Valid ResilienceProperties resilience, @DefaultValue @Valid Credentials credentials,
			@Valid AgentCore agentcore, @Valid OpenApi openapi, Map<String, @Valid RegionEndpoint> regions,
			@DefaultValue @Valid Failover failover, @Valid Lambda lambda,
			@DefaultValue("auto") @NotNull TargetEra era) {

		public Target {
			headers = (headers != null) ? Map.copyOf(headers) : Map.of();
			tenants = (tenants != null) ? List.copyOf(tenants) : List.of();
			regions = (regions != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(regions)) : Map.of();
		}

		/**
		 * Where Atrium sends its MCP requests: the URL, or the runtime's invocations URL,
		 * or for a regional target its preferred region's; {@code null} for an OpenAPI or
		 * Lambda target, which Atrium serves itself.
		 */
		public URI endpoint() {
			if (!this.regions.isEmpty()) {
				return this.regions.values()
					.stream()
					.min(Comparator.comparing(RegionEndpoint::priority,
							Comparator.nullsLast(Comparator.naturalOrder())))
					.map(RegionEndpoint::endpoint)
					.orElseThrow();
			}
			return (this.agentcore != null) ? this.agentcore.runtime().invocationsUri() : this.url;
		}

		/** Whether the target, or one of its regions, runs on AgentCore Runtime. */
		public boolean onAgentCore() {
			return this.agentcore != null
					|| this.regions.values().stream().anyMatch((region) -> region.agentcore() != null);
		}

	}

	/**
	 * A target's endpoint in one region.
	 *
	 * @param url its streamable HTTP endpoint
	 * @param agentcore the AgentCore Runtime that hosts it there, in place of {@code url}
	 * @param priority lower is preferred; calls go to the preferred healthy region
	 */
	public record RegionEndpoint(URI url, @Valid AgentCore agentcore, @NotNull Integer priority) {

		/** Where Atrium sends its MCP requests in this region. */
		public URI endpoint() {
			return (this.agentcore != null) ? this.agentcore.runtime().invocationsUri() : this.url;
		}

	}

	/**
	 * When a regional target's calls move away from a region that still answers. A region
	 * whose circuit breaker is open is always passed over.
	 *
	 * @param latencyThreshold a region whose calls take longer than this to begin their
	 * answer, on a moving average, is passed over while another is faster (the seed's
	 * {@code LatencyBasedFailover}: 1 s)
	 * @param recheckAfter how long a slow region is passed over before a call is sent
	 * there again to measure it
	 */
	public record Failover(@DefaultValue("1s") @NotNull Duration latencyThreshold,
			@DefaultValue("30s") @NotNull Duration recheckAfter) {

	}

	/**
	 * An MCP server hosted on Amazon Bedrock AgentCore Runtime. Its credentials are
	 * {@code sigv4} (service {@code bedrock-agentcore}, the runtime's region unless
	 * given) or {@code oauth2}, as the runtime's inbound authorization is configured.
	 *
	 * @param runtimeArn the runtime's ARN
	 * @param region the region to call; the ARN's when unset
	 * @param qualifier the runtime endpoint to call; {@code DEFAULT} when unset
	 * @param endpoint the service's base URL, for VPC interface endpoints and tests;
	 * {@code https://bedrock-agentcore.{region}.amazonaws.com} when unset
	 */
	public record AgentCore(@NotNull String runtimeArn, String region, String qualifier, URI endpoint) {

		/** The runtime; throws {@link IllegalArgumentException} for a malformed ARN. */
		public AgentCoreRuntime runtime() {
			return new AgentCoreRuntime(this.runtimeArn, this.region, this.qualifier, this.endpoint);
		}

	}

	/**
	 * A REST API described by an OpenAPI 3 document: each operation is a tool. The
	 * target's credentials go to this API.
	 *
	 * @param spec the document: a file path or an http(s) URL, read once at start-up
	 * @param baseUrl where the operations' paths start; the document's first server when
	 * unset
	 * @param timeout the longest wait for the API's whole answer to one call
	 * @param operations the operationIds that become tools; empty for every operation
	 */
	public record OpenApi(@NotNull String spec, URI baseUrl, @DefaultValue("30s") @NotNull Duration timeout,
			List<String> operations) {

		public OpenApi {
			operations = (operations != null) ? List.copyOf(operations) : List.of();
		}

	}

	/**
	 * An AWS Lambda function whose tools are defined here, invoked as Amazon Bedrock
	 * AgentCore Gateway invokes its Lambda targets. The target's credentials are
	 * {@code none} (the SDK's default credentials provider chain) or {@code sigv4} with
	 * static keys.
	 *
	 * @param functionName the function's name or ARN
	 * @param qualifier the version or alias to invoke; {@code $LATEST}, or what the ARN
	 * names, when unset
	 * @param region the function's region; the ARN's when unset, else the SDK's region
	 * provider chain ({@code AWS_REGION}, profile, instance metadata)
	 * @param endpoint the Lambda API's base URL, for VPC interface endpoints and tests;
	 * {@code https://lambda.{region}.amazonaws.com} when unset
	 * @param timeout the longest wait for the function's answer to one call
	 * @param tools the tools the function implements; at least one
	 */
	public record Lambda(@NotNull String functionName, String qualifier, String region, URI endpoint,
			@DefaultValue("30s") @NotNull Duration timeout, @NotEmpty List<@Valid LambdaTool> tools) {

		public Lambda {
			tools = (tools != null) ? List.copyOf(tools) : List.of();
		}

		/**
		 * The region of a function ARN ({@code arn:aws:lambda:REGION:...}); null for a
		 * name.
		 */
		public String arnRegion() {
			String[] parts = this.functionName.split(":");
			return (parts.length >= 4 && "arn".equals(parts[0]) && !parts[3].isEmpty()) ? parts[3] : null;
		}

	}

	/**
	 * One tool of a Lambda target, as MCP lists it.
	 *
	 * @param name its name (1 to 128 letters, digits, '_', '-' or '.'), without the
	 * target's prefix; the function reads it as {@code {target}___{name}}
	 * @param title a display name
	 * @param description what it does, for the model
	 * @param inputSchema the JSON Schema of its arguments, as JSON text, with
	 * {@code "type": "object"}
	 * @param outputSchema the JSON Schema of the function's JSON object answer, as JSON
	 * text, with {@code "type": "object"}
	 * @param readOnlyHint the tool changes nothing
	 * @param destructiveHint the tool may delete or overwrite
	 * @param idempotentHint calling it again with the same arguments does nothing more
	 * @param openWorldHint the tool reaches beyond a closed domain
	 */
	public record LambdaTool(@NotNull String name, String title, String description, @NotNull String inputSchema,
			String outputSchema, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
			Boolean openWorldHint) {

	}

	/**
	 * How Atrium proves its own identity to a target, on every request it sends there.
	 * Only the fields of the chosen type are read.
	 *
	 * @param type none, api-key, oauth2 (client credentials grant) or sigv4
	 * @param header api-key: the header that carries the key, e.g. {@code X-Api-Key}
	 * @param prefix api-key: a word written before the key, with one space between, e.g.
	 * {@code Bearer}
	 * @param key api-key: the key
	 * @param tokenEndpoint oauth2: the authorization server's token endpoint
	 * @param clientId oauth2: Atrium's client id there
	 * @param clientSecret oauth2: Atrium's client secret there
	 * @param clientAuthentication oauth2: client-secret-basic or client-secret-post
	 * @param scopes oauth2: the scopes asked for; empty for the server's default
	 * @param resource oauth2: the resource indicators (RFC 8707) asked for, e.g. the
	 * target's URL; empty for none
	 * @param refreshSkew oauth2: how long before its expiry a token is replaced
	 * @param timeout oauth2: the longest wait for the token endpoint
	 * @param region sigv4: the AWS region, e.g. {@code us-east-1}
	 * @param service sigv4: the service's signing name
	 * @param accessKeyId sigv4: an access key id instead of the default credentials
	 * provider chain (environment, web identity, instance profile); with
	 * secret-access-key
	 * @param secretAccessKey sigv4: the secret of {@code access-key-id}
	 * @param sessionToken sigv4: the session token of temporary keys, if any
	 */
	public record Credentials(@DefaultValue("none") @NotNull CredentialsType type, String header, String prefix,
			@Valid Secret key, URI tokenEndpoint, String clientId, @Valid Secret clientSecret,
			@DefaultValue("client-secret-basic") @NotNull ClientRegistration.ClientAuthentication clientAuthentication,
			List<String> scopes, List<URI> resource, @DefaultValue("60s") @NotNull Duration refreshSkew,
			@DefaultValue("10s") @NotNull Duration timeout, String region,
			@DefaultValue(SigV4Credentials.DEFAULT_SERVICE) @NotNull String service, @Valid Secret accessKeyId,
			@Valid Secret secretAccessKey, @Valid Secret sessionToken) {

		public Credentials {
			scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
			resource = (resource != null) ? List.copyOf(resource) : List.of();
		}

	}

	/** The kinds of outbound credentials. */
	public enum CredentialsType {

		/** Nothing: the target needs no credentials, or its headers carry them. */
		NONE,

		/** A static key in one header. */
		API_KEY,

		/** A bearer token from an OAuth2 client credentials grant. */
		OAUTH2,

		/** AWS Signature Version 4. */
		SIGV4

	}

	/**
	 * Where a secret is read from: exactly one of {@code value}, {@code env},
	 * {@code file} and {@code aws-secret}.
	 *
	 * @param value the secret itself, for local development only
	 * @param env an environment variable that holds it
	 * @param file a file that holds it (trailing line breaks dropped), such as a mounted
	 * Kubernetes secret; read again when it changes
	 * @param awsSecret the name or ARN of an AWS Secrets Manager secret that holds it
	 * @param key aws-secret: the key whose value is the secret, when the secret is a JSON
	 * object
	 * @param region aws-secret: its region; unset: the SDK's region chain (AWS_REGION,
	 * profile, instance metadata)
	 * @param endpoint aws-secret: another endpoint than AWS's, e.g. a VPC endpoint
	 * @param refresh how often a file is looked at again (default 10s) or an AWS secret
	 * fetched again (default 5m)
	 */
	public record Secret(String value, String env, Path file, String awsSecret, String key, String region, URI endpoint,
			Duration refresh) {

		@Override
		public String toString() {
			return "Secret[" + ((this.value != null) ? "value=<hidden>" : "")
					+ ((this.env != null) ? "env=" + this.env : "") + ((this.file != null) ? "file=" + this.file : "")
					+ ((this.awsSecret != null) ? "aws-secret=" + this.awsSecret : "") + "]";
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
	 * @param operations the MCP methods it serves
	 * @param requireTenant refuses callers whose token names no tenant
	 * @param rateLimit how often callers may call
	 * @param permissions what callers may use of each target
	 */
	public record Scenario(@NotNull @Pattern(regexp = "/[a-z0-9][a-z0-9-]*") String path,
			@NotEmpty List<String> targets, NamingMode naming, FailurePolicy onTargetFailure, List<String> issuers,
			@DefaultValue("false") boolean anonymous, Map<String, List<String>> scopes,
			@DefaultValue @Valid Operations operations, @DefaultValue("false") boolean requireTenant,
			@DefaultValue @Valid ScenarioRateLimit rateLimit, @DefaultValue @Valid Permissions permissions) {

		public Scenario {
			targets = (targets != null) ? List.copyOf(targets) : List.of();
			issuers = (issuers != null) ? List.copyOf(issuers) : List.of();
			scopes = (scopes != null) ? Map.copyOf(scopes) : Map.of();
		}

	}

	/**
	 * The MCP methods a scenario serves, as the seed's {@code allowed_operations} and
	 * {@code restricted_operations}; {@code *} stands for any run of characters. The
	 * lifecycle ({@code initialize}, {@code ping}, {@code notifications/initialized},
	 * {@code notifications/cancelled}) is always served unless denied.
	 *
	 * @param allowed the methods served; empty: all
	 * @param denied methods refused even when allowed, e.g. {@code admin/*}
	 */
	public record Operations(List<String> allowed, List<String> denied) {

		public Operations {
			allowed = (allowed != null) ? List.copyOf(allowed) : List.of();
			denied = (denied != null) ? List.copyOf(denied) : List.of();
		}

	}

	/**
	 * A scenario's rate limits.
	 *
	 * @param tier the tier of callers no other rule names (a name in
	 * {@code atrium.rate-limits.tiers} or a seed tier); unset: no limit
	 * @param key whose budget a request takes from: client, tenant or subject; keys
	 * always include the tenant
	 * @param clients tiers by client id, e.g. {@code chatgpt-apps} for a ChatGPT app's
	 * client
	 * @param tokenTiers tiers by the token's {@code rate_tier} claim, as API keys carry
	 * it, e.g. {@code premium: third-party-premium}
	 * @param tools extra limits per tool (the name clients see), a tier name or a rate
	 * such as {@code 10/minute}, kept per caller
	 */
	public record ScenarioRateLimit(String tier, @DefaultValue("client") @NotNull RateKey key,
			Map<String, String> clients, Map<String, String> tokenTiers, Map<String, String> tools) {

		public ScenarioRateLimit {
			clients = (clients != null) ? Map.copyOf(clients) : Map.of();
			tokenTiers = (tokenTiers != null) ? Map.copyOf(tokenTiers) : Map.of();
			tools = (tools != null) ? Map.copyOf(tools) : Map.of();
		}

	}

	/**
	 * What a scenario's callers may use of its targets.
	 *
	 * @param defaultLevel the level of targets not listed: none, read-only, limited-write
	 * or full
	 * @param targets levels by target name
	 * @param scopeLevels the most each scope reaches; an authenticated caller reaches the
	 * most any of its scopes does and sees no tool with none of them; unset: the seed's
	 * {@code mcp:write} full, {@code mcp:write:limited} limited-write, {@code mcp:read}
	 * read-only
	 */
	public record Permissions(@DefaultValue("full") @NotNull PermissionLevel defaultLevel,
			Map<String, @Valid TargetPermission> targets, Map<String, PermissionLevel> scopeLevels) {

		public Permissions {
			targets = (targets != null) ? Map.copyOf(targets) : Map.of();
			scopeLevels = (scopeLevels != null) ? Map.copyOf(scopeLevels) : ScenarioPermissions.seedScopeLevels();
		}

	}

	/**
	 * A scenario's permission on one target.
	 *
	 * @param level none, read-only, limited-write or full
	 * @param tools the tools (the target's own names) a level below full admits, instead
	 * of what the tools' annotations say; for targets not trusted to annotate honestly
	 */
	public record TargetPermission(@NotNull PermissionLevel level, List<String> tools) {

		public TargetPermission {
			tools = (tools != null) ? List.copyOf(tools) : List.of();
		}

	}

	/**
	 * The rate tiers and where buckets are kept.
	 *
	 * @param tiers tiers by name, each a list of rates that all hold (e.g.
	 * {@code [1000/hour, 50/minute]}), added to and replacing the seed's tiers
	 * @param redisUri a Redis that every replica shares buckets through; unset: buckets
	 * in each replica's memory
	 * @param timeout the longest wait for Redis on one request
	 * @param failOpen admit requests uncounted when Redis does not answer; refuse them
	 * with 503 when false
	 * @param maxLocalBuckets how many buckets one replica keeps in memory at most
	 */
	public record RateLimits(Map<String, List<String>> tiers, URI redisUri,
			@DefaultValue("250ms") @NotNull Duration timeout, @DefaultValue("true") boolean failOpen,
			@DefaultValue("100000") @Min(1) long maxLocalBuckets) {

		public RateLimits {
			tiers = (tiers != null) ? Map.copyOf(tiers) : Map.of();
		}

	}

	/**
	 * How callers' tenants are read.
	 *
	 * @param claims the claims that name the tenant, the first present one winning; dots
	 * reach into objects ({@code user_context.tenant_id}); Cognito's custom attributes
	 * are named as they are ({@code custom:tenant_id}), and must be read-only for users
	 * @param residency data residency: the only regions a tenant's calls may go to, by
	 * tenant; they reach regional targets only through endpoints in those regions, even
	 * when those fail, and do not see a regional target with none there
	 */
	public record Tenancy(@DefaultValue( {
			"tenant_id", "user_context.tenant_id" }) List<String> claims, Map<String, List<String>> residency){

		public Tenancy {
			claims = (claims != null) ? List.copyOf(claims) : List.of();
			residency = (residency != null) ? Map.copyOf(residency) : Map.of();
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
	 * @param verifiedTokens how many tokens whose signature verified are remembered, so
	 * that a client's next requests with the same token skip the signature check (claims,
	 * expiry and revocation are still checked on every request); 0: none
	 * @param verifiedTokenTtl how long a verified token is remembered at most, never past
	 * its {@code exp}
	 */
	public record Issuer(@NotNull IssuerType type, @NotNull String issuerUri, URI jwksUri,
			@DefaultValue("RS256") @NotEmpty List<String> algorithms, List<String> audiences, List<String> clients,
			List<@Valid Claim> claims, String scopePrefix, String requiredType,
			@DefaultValue("60s") @NotNull Duration clockSkew, @DefaultValue("5m") @NotNull Duration jwksCacheTtl,
			@DefaultValue("10000") @Min(0) @Max(1000000) int verifiedTokens,
			@DefaultValue("5m") @NotNull Duration verifiedTokenTtl) {

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

	/**
	 * The audit trail: one event per MCP request, token grant and API-key change, in a
	 * local journal of JSON lines, shipped to Redis when configured.
	 *
	 * @param enabled whether events are recorded
	 * @param directory where the journal's segments are (one Atrium process per
	 * directory); relative paths start at the working directory
	 * @param fsync when writes are forced onto the disk: always (after each batch),
	 * interval or never (the operating system decides)
	 * @param fsyncInterval the longest time between forced writes under interval: what a
	 * crash can lose
	 * @param maxSegmentSize the size at which a segment is closed and the next begun
	 * @param maxSegments how many segments are kept; older ones are deleted, but never
	 * before they were shipped
	 * @param arguments what of tool and prompt arguments is recorded: none, names or full
	 * (values, sensitive fields masked)
	 * @param sensitiveFields parts of argument names (any case) whose values are masked
	 * under full
	 * @param redis the networked sink
	 */
	public record Audit(@DefaultValue("true") boolean enabled, @DefaultValue("audit") @NotNull Path directory,
			@DefaultValue("interval") @NotNull FsyncPolicy fsync, @DefaultValue("1s") @NotNull Duration fsyncInterval,
			@DefaultValue("64MB") @NotNull DataSize maxSegmentSize, @DefaultValue("20") @Min(2) int maxSegments,
			@DefaultValue("names") @NotNull ArgumentRedaction.Mode arguments, @DefaultValue( {
					"password", "secret", "token", "api_key", "apikey", "private_key", "authorization", "credential",
					"cookie" }) List<String> sensitiveFields,
			@DefaultValue @Valid AuditRedis redis){

		public Audit {
			sensitiveFields = (sensitiveFields != null) ? List.copyOf(sensitiveFields) : List.of();
		}

	}

	/**
	 * The audit trail's networked sink: a Redis stream, fed from the journal, which keeps
	 * the events while Redis is unreachable.
	 *
	 * @param uri the Redis (e.g. {@code redis://host:6379}); unset: no networked sink
	 * @param stream the stream's key
	 * @param maxLength trims the stream to about this many entries; 0 keeps all
	 * @param timeout the longest wait for Redis to confirm one batch
	 */
	public record AuditRedis(URI uri, @DefaultValue("atrium:audit") @NotNull String stream,
			@DefaultValue("0") @Min(0) long maxLength, @DefaultValue("5s") @NotNull Duration timeout) {

	}

}
