package dev.atrium.policy.access;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.transport.McpAccess;
import dev.atrium.mcp.transport.McpCaller;
import dev.atrium.policy.auth.ScopeAccess;
import dev.atrium.policy.caller.CallerIdentities;
import dev.atrium.policy.caller.CallerIdentity;
import dev.atrium.policy.permission.OperationRules;
import dev.atrium.policy.permission.ScenarioPermissions;
import dev.atrium.policy.ratelimit.RateLimitDecision;
import dev.atrium.policy.ratelimit.RateLimitPolicy;
import dev.atrium.policy.tenant.TargetTenants;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * A scenario's policies, in the order they apply to an MCP request: operations the
 * scenario serves, the tenant it needs, the scopes each operation needs, the rate limits;
 * and, for what passes, the part of the catalog the caller may see.
 */
public final class ScenarioAccess implements McpAccess {

	/** Atrium's JSON-RPC code for a request the caller may not make. */
	public static final int FORBIDDEN = ScopeAccess.FORBIDDEN;

	/** Atrium's JSON-RPC code for a request over the caller's rate limit. */
	public static final int RATE_LIMITED = -32029;

	/** The seed's header, and its companions. */
	public static final String LIMIT_HEADER = "X-Rate-Limit-Limit";

	public static final String REMAINING_HEADER = "X-Rate-Limit-Remaining";

	public static final String RESET_HEADER = "X-Rate-Limit-Reset";

	private final String scenario;

	private final CallerIdentities identities;

	private final OperationRules operations;

	private final boolean requireTenant;

	private final ScopeAccess scopes;

	private final RateLimitPolicy rateLimits;

	private final ScenarioPermissions permissions;

	private final TargetTenants tenants;

	private final RefusalObserver observer;

	/**
	 * @param scenario the scenario's name
	 * @param identities reads callers from their tokens
	 * @param operations the methods the scenario serves
	 * @param requireTenant whether a caller without a tenant is refused
	 * @param scopes the scopes operations need, or {@code null} for an anonymous scenario
	 * @param rateLimits the scenario's rate limits
	 * @param permissions what callers may use of each target
	 * @param tenants which tenants each target belongs to
	 * @param observer told of every refusal
	 */
	public ScenarioAccess(String scenario, CallerIdentities identities, OperationRules operations,
			boolean requireTenant, ScopeAccess scopes, RateLimitPolicy rateLimits, ScenarioPermissions permissions,
			TargetTenants tenants, RefusalObserver observer) {
		this.scenario = scenario;
		this.identities = identities;
		this.operations = operations;
		this.requireTenant = requireTenant;
		this.scopes = scopes;
		this.rateLimits = rateLimits;
		this.permissions = permissions;
		this.tenants = tenants;
		this.observer = observer;
	}

	@Override
	public Mono<McpCaller> caller(ServerRequest request) {
		return this.identities.of(request.exchange()).map((identity) -> {
			if (identity.tenant() != null) {
				request.exchange().getAttributes().put(McpCaller.TENANT_ATTRIBUTE, identity.tenant());
			}
			return new McpCaller(identity.sessionId(), view(identity));
		});
	}

	@Override
	public Mono<Denial> check(ServerRequest request, JsonRpcMessage message) {
		if (!message.isRequest()) {
			return Mono.empty();
		}
		return check(request.exchange(), message.method(),
				McpMethods.TOOLS_CALL.equals(message.method()) ? message.stringParam("name") : null, message);
	}

	/**
	 * Applies the policies to a request, writing the rate-limit headers of an admitted
	 * one into the exchange's response.
	 * @param method the MCP method
	 * @param tool the tool a call names, or {@code null}
	 * @param message the message, for the scope rules, or {@code null} where none was
	 * read (pass-through routes)
	 */
	public Mono<Denial> check(ServerWebExchange exchange, String method, String tool, JsonRpcMessage message) {
		// The identity first, even for a refusal: the audit trail records who was
		// refused.
		return this.identities.of(exchange).flatMap((identity) -> {
			if (!this.operations.permits(method)) {
				return refuse(new Denial(HttpStatus.FORBIDDEN, Map.of(),
						new JsonRpcError(FORBIDDEN, "Forbidden: " + method + " is not served on this endpoint")),
						"operation");
			}
			if (this.requireTenant && identity.tenant() == null) {
				return refuse(
						new Denial(HttpStatus.FORBIDDEN, Map.of(),
								new JsonRpcError(FORBIDDEN,
										"Forbidden: this endpoint serves tenants only, and the token names none")),
						"tenant");
			}
			Mono<Denial> scopeDenial = (this.scopes != null && message != null) ? this.scopes.check(exchange, message)
					: Mono.empty();
			return scopeDenial.flatMap((denial) -> refuse(denial, "scope"))
				.switchIfEmpty(Mono.defer(() -> rateLimit(exchange, identity, tool)));
		});
	}

	/**
	 * Applies the policies to a request on a pass-through route, which relays a target
	 * unread: only a caller that may use the whole target passes (others are told the
	 * route does not exist), and only where no operation is restricted; the request takes
	 * from the caller's rate budget like any other.
	 */
	public Mono<Denial> checkPassThrough(ServerWebExchange exchange, String target) {
		if (this.operations.restrictsAny()) {
			return refuse(new Denial(HttpStatus.FORBIDDEN, Map.of(), new JsonRpcError(FORBIDDEN,
					"Forbidden: this endpoint restricts operations, so its targets are reached through its MCP endpoint only")),
					"operation");
		}
		return this.identities.of(exchange).flatMap((identity) -> {
			if (!view(identity).admitsWholeTarget(target)) {
				return refuse(new Denial(HttpStatus.NOT_FOUND, Map.of(),
						JsonRpcError.invalidRequest("Not Found: no such route")), "target");
			}
			return check(exchange, "pass-through", null, null);
		});
	}

	private CallerView view(CallerIdentity identity) {
		return new CallerView(identity.tenant(), this.permissions.cap(!identity.anonymous(), identity.scopes()),
				this.permissions, this.tenants);
	}

	private Mono<Denial> rateLimit(ServerWebExchange exchange, CallerIdentity identity, String tool) {
		return this.rateLimits.consume(identity, tool).flatMap((outcome) -> {
			HttpHeaders response = exchange.getResponse().getHeaders();
			return switch (outcome.decision()) {
				case RateLimitDecision.Admitted admitted -> {
					response.set(LIMIT_HEADER, Long.toString(admitted.limit()));
					response.set(REMAINING_HEADER, Long.toString(admitted.remaining()));
					response.set(RESET_HEADER, Long.toString(RateLimitPolicy.Outcome.seconds(admitted.reset())));
					yield Mono.empty();
				}
				case RateLimitDecision.Unchecked unchecked -> Mono.empty();
				case RateLimitDecision.Refused refused -> {
					long retryAfter = RateLimitPolicy.Outcome.seconds(refused.retryAfter());
					Map<String, String> headers = new LinkedHashMap<>();
					headers.put(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
					headers.put(LIMIT_HEADER, Long.toString(refused.limit()));
					headers.put(REMAINING_HEADER, "0");
					headers.put(RESET_HEADER, Long.toString(RateLimitPolicy.Outcome.seconds(refused.reset())));
					yield refuse(new Denial(HttpStatus.TOO_MANY_REQUESTS, headers, new JsonRpcError(RATE_LIMITED,
							"Rate limit exceeded: " + outcome.bucket().tier() + "; retry after " + retryAfter + " s")),
							"rate-limit");
				}
				case RateLimitDecision.Unavailable unavailable ->
					refuse(new Denial(HttpStatus.SERVICE_UNAVAILABLE, Map.of(HttpHeaders.RETRY_AFTER, "1"),
							new JsonRpcError(RATE_LIMITED, "Rate limits cannot be checked right now; retry shortly")),
							"rate-limit-store");
			};
		});
	}

	private Mono<Denial> refuse(Denial denial, String reason) {
		this.observer.refused(this.scenario, reason);
		return Mono.just(denial);
	}

	@Override
	public String toString() {
		return "ScenarioAccess[" + this.scenario + ", " + this.operations + ", requireTenant=" + this.requireTenant
				+ ", " + this.rateLimits + ", " + this.permissions + ", " + this.tenants + "]";
	}

	/** Told of every refusal, e.g. to count refusals by reason. */
	@FunctionalInterface
	public interface RefusalObserver {

		RefusalObserver NONE = (scenario, reason) -> {
		};

		/**
		 * @param scenario the scenario
		 * @param reason operation, tenant, scope, rate-limit or rate-limit-store
		 */
		void refused(String scenario, String reason);

	}

}
