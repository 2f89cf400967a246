package dev.atrium.gateway.audit;

import java.util.Map;

import dev.atrium.observability.RequestIdWebFilter;
import dev.atrium.observability.audit.AuditTrail;
import dev.atrium.sts.apikey.ApiKeys;
import dev.atrium.sts.web.ApiKeyAdminEndpoints;
import tools.jackson.databind.node.ObjectNode;

/**
 * One audit event per API-key administration: who issued, rotated or revoked which key,
 * or was refused. The key itself is never recorded, only its id.
 */
final class ApiKeyAudit implements ApiKeyAdminEndpoints.ChangeObserver {

	private final AuditTrail trail;

	ApiKeyAudit(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	public void changed(Map<String, Object> attributes, String action, String admin, String subject,
			ApiKeys.Result result) {
		ObjectNode event = AuditTrail.body();
		event.put("request_id", (String) attributes.get(RequestIdWebFilter.ATTRIBUTE));
		event.put("admin", admin);
		event.put("action", action);
		event.put("issue".equals(action) ? "client_id" : "key_id", subject);
		if (result.refusal() != null) {
			event.put("outcome", "refused");
			event.put("error_description", result.refusal());
		}
		else {
			event.put("outcome", "done");
			if (result.issued() != null) {
				event.put("issued_key_id", result.issued().jti());
				event.put("expires_at", result.issued().expiresAt().toString());
			}
		}
		this.trail.record("api_key_" + action, event);
	}

	@Override
	public String toString() {
		return "ApiKeyAudit";
	}

}
