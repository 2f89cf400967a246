package dev.atrium.gateway.security;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.observability.RequestIdWebFilter;
import dev.atrium.observability.audit.AuditTrail;
import dev.atrium.policy.http.DnsRebindingProtectionWebFilter;
import dev.atrium.policy.http.JsonRpcErrorBodies;
import dev.atrium.policy.http.McpPaths;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Counts, and records in the audit trail, every MCP request refused before the MCP
 * handler saw it: by authentication (401, by the reason its challenge gives), and by
 * Atrium's transport and pass-through checks (a wrong Host or Origin, a body too large or
 * too slow, a pass-through denial), which name their reason on the exchange. The
 * handler's metrics and audit events cover the rest.
 */
final class EarlyRefusals implements WebFilter, Ordered {

	private static final Pattern ERROR = Pattern.compile("error=\"([a-z_]+)\"");

	private final Map<String, String> scenariosByPath;

	private final MeterRegistry registry;

	private final AuditTrail trail;

	/**
	 * Computed once: Spring's filter chain asks for it on every request (it names the
	 * checkpoint of each filter).
	 */
	private final String description;

	/**
	 * @param trail the audit trail, or {@code null} when it is off
	 */
	EarlyRefusals(AtriumProperties properties, MeterRegistry registry, AuditTrail trail) {
		Map<String, String> byPath = new HashMap<>();
		properties.scenarios().forEach((name, scenario) -> byPath.put(scenario.path(), name));
		this.scenariosByPath = Map.copyOf(byPath);
		this.registry = registry;
		this.trail = trail;
		this.description = "EarlyRefusals[" + this.scenariosByPath.values() + "]";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().value();
		if (!McpPaths.endpoints().test(path)) {
			return chain.filter(exchange);
		}
		exchange.getResponse().beforeCommit(() -> {
			HttpStatusCode status = exchange.getResponse().getStatusCode();
			String refusal = exchange.getAttribute(JsonRpcErrorBodies.REFUSAL_ATTRIBUTE);
			if (status != null && status.value() == 401) {
				unauthenticated(exchange, path);
			}
			else if (status != null && refusal != null) {
				refused(exchange, path, status.value(), refusal);
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

	private void unauthenticated(ServerWebExchange exchange, String path) {
		String scenario = scenario(path);
		String reason = reason(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE));
		Counter.builder("atrium.auth.refusals")
			.description("MCP requests refused by authentication (401), by reason")
			.tag("scenario", scenario)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
		audit("authentication_refused", exchange, scenario, path, 401, reason);
	}

	private void refused(ServerWebExchange exchange, String path, int status, String reason) {
		String scenario = scenario(path);
		Counter.builder("atrium.mcp.refusals")
			.description("MCP requests refused before the MCP handler, other than by authentication")
			.tag("scenario", scenario)
			.tag("status", Integer.toString(status))
			.tag("reason", reason)
			.register(this.registry)
			.increment();
		audit("request_refused", exchange, scenario, path, status, reason);
	}

	private void audit(String type, ServerWebExchange exchange, String scenario, String path, int status,
			String reason) {
		if (this.trail == null) {
			return;
		}
		ObjectNode event = AuditTrail.body();
		event.put("request_id", (String) exchange.getAttribute(RequestIdWebFilter.ATTRIBUTE));
		event.put("scenario", scenario);
		event.put("path", path);
		event.put("status", status);
		event.put("reason", reason);
		if (exchange.getRequest().getRemoteAddress() != null
				&& exchange.getRequest().getRemoteAddress().getAddress() != null) {
			event.put("address", exchange.getRequest().getRemoteAddress().getAddress().getHostAddress());
		}
		this.trail.record(type, event);
	}

	private String scenario(String path) {
		int slash = path.indexOf('/', 1);
		String prefix = (slash > 0) ? path.substring(0, slash) : path;
		return this.scenariosByPath.getOrDefault(prefix, "none");
	}

	/**
	 * {@code invalid_token} and the like, or {@code missing_token} for a bare challenge.
	 */
	static String reason(String challenge) {
		if (challenge == null) {
			return "unknown";
		}
		Matcher matcher = ERROR.matcher(challenge);
		return matcher.find() ? matcher.group(1) : "missing_token";
	}

	@Override
	public int getOrder() {
		// Before the Host and Origin checks and Spring Security's filters, so that their
		// answers pass here on their way out.
		return DnsRebindingProtectionWebFilter.ORDER - 1;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
