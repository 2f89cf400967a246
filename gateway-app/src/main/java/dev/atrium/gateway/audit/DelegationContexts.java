package dev.atrium.gateway.audit;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The seed's {@code delegation_context}, read from the claims of a composite token the
 * STS minted: the user ({@code user_context}), the acting agent ({@code act}) and the
 * chain.
 */
final class DelegationContexts {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private DelegationContexts() {
	}

	static void write(ObjectNode context, Map<String, Object> claims) {
		Object business = claims.get("business_context");
		if (business instanceof Map<?, ?> map && map.get("delegation_policy") != null) {
			context.put("delegation_type", String.valueOf(map.get("delegation_policy")));
		}
		ObjectNode subject = context.putObject("subject");
		subject.put("user_id", String.valueOf(claims.get("sub")));
		if (claims.get("user_context") instanceof Map<?, ?> user) {
			user.forEach((key, value) -> subject.set(String.valueOf(key), JSON.valueToTree(value)));
		}
		if (claims.get("act") instanceof Map<?, ?> act) {
			context.set("actor", JSON.valueToTree(act));
		}
		if (claims.get("delegation_chain") instanceof List<?> chain) {
			context.set("delegation_chain", JSON.valueToTree(chain));
		}
	}

}
