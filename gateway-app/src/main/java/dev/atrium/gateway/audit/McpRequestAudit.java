package dev.atrium.gateway.audit;

import java.util.Map;

import dev.atrium.mcp.protocol.McpHeaders;
import dev.atrium.mcp.protocol.McpMethods;
import dev.atrium.mcp.transport.McpExchangeObserver;
import dev.atrium.observability.RequestIdWebFilter;
import dev.atrium.observability.SessionDigest;
import dev.atrium.observability.audit.ArgumentRedaction;
import dev.atrium.observability.audit.AuditTrail;
import dev.atrium.policy.caller.CallerIdentities;
import dev.atrium.policy.caller.CallerIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One audit event per MCP message, in the seed's enhanced structure: who called (and for
 * whom, when an agent acts for a user), what they asked of which target, and how it
 * ended.
 */
final class McpRequestAudit implements McpExchangeObserver {

	private final AuditTrail trail;

	private final ArgumentRedaction redaction;

	McpRequestAudit(AuditTrail trail, ArgumentRedaction redaction) {
		this.trail = trail;
		this.redaction = redaction;
	}

	@Override
	public void completed(Exchange exchange) {
		Map<String, Object> claims = exchange.http().getAttribute(CallerIdentities.CLAIMS_ATTRIBUTE);
		boolean delegated = claims != null && claims.get("act") instanceof Map;
		ObjectNode event = AuditTrail.body();
		String requestId = exchange.http().getAttribute(RequestIdWebFilter.ATTRIBUTE);
		event.put("request_id", requestId);
		event.put("correlation_id", (String) exchange.http().getAttribute(RequestIdWebFilter.CORRELATION_ATTRIBUTE));
		event.put("scenario", exchange.scenario());
		event.put("outcome", exchange.outcome().name().toLowerCase(java.util.Locale.ROOT));
		event.put("status", exchange.status());
		event.put("duration_ms", exchange.duration().toMillis());
		caller(event, CallerIdentities.known(exchange.http()));
		if (delegated) {
			DelegationContexts.write(event.putObject("delegation_context"), claims);
		}
		mcpContext(event.putObject("mcp_context"), exchange);
		if (claims != null && claims.get("business_context") instanceof Map<?, ?> business) {
			ObjectNode compliance = event.putObject("compliance_context");
			business.forEach((key, value) -> compliance.put(String.valueOf(key), String.valueOf(value)));
		}
		this.trail.record(delegated ? "mcp_request_with_delegation" : "mcp_request", event);
	}

	private static void caller(ObjectNode event, CallerIdentity identity) {
		ObjectNode caller = event.putObject("caller");
		if (identity == null || identity.anonymous()) {
			caller.put("anonymous", true);
			if (identity != null) {
				caller.put("address", identity.address());
			}
			return;
		}
		caller.put("issuer", identity.issuer());
		caller.put("subject", identity.subject());
		caller.put("client_id", identity.clientId());
		caller.put("tenant_id", identity.tenant());
		caller.put("address", identity.address());
	}

	private void mcpContext(ObjectNode context, Exchange exchange) {
		context.put("server_name", exchange.target());
		context.put("method", exchange.method());
		if (exchange.name() != null) {
			context.put(McpMethods.RESOURCES_READ.equals(exchange.method()) ? "resource_accessed" : "name",
					exchange.name());
		}
		String session = exchange.http().getRequest().getHeaders().getFirst(McpHeaders.SESSION_ID);
		if (session != null) {
			// The session id is a bearer handle: only a digest is kept, enough to group
			// the events of one session.
			context.put("session", SessionDigest.of(session));
		}
		if (exchange.message() != null && exchange.message().isRequest()) {
			context.set("jsonrpc_id", exchange.message().id());
			JsonNode arguments = this.redaction.apply(exchange.message().params().get("arguments"));
			if (arguments != null) {
				context.set("arguments", arguments);
			}
		}
	}

	@Override
	public String toString() {
		return "McpRequestAudit[" + this.redaction + "]";
	}

}
