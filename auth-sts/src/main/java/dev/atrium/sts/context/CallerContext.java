package dev.atrium.sts.context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is calling, as targets learn it: read from the verified token, never from what the
 * client sent. An STS token brings its composite claims; any other token, its subject and
 * the user claims it carries.
 *
 * @param subject the token's subject
 * @param tenantId the tenant, or {@code null}
 * @param user the {@code user_context}
 * @param actor the {@code act} claim, or {@code null} when nobody acts for the subject
 * @param delegationChain the {@code delegation_chain}, empty without delegation
 * @param business the {@code business_context}, or {@code null}
 */
public record CallerContext(String subject, String tenantId, Map<String, Object> user, Map<String, Object> actor,
		List<Object> delegationChain, Map<String, Object> business) {

	private static final List<String> USER_CLAIMS = List.of("email", "department", "role", "tenant_id");

	public CallerContext {
		user = Map.copyOf(user);
		delegationChain = List.copyOf(delegationChain);
	}

	@SuppressWarnings("unchecked")
	public static CallerContext of(Map<String, Object> claims) {
		String subject = (String) claims.get("sub");
		Map<String, Object> user = (claims.get("user_context") instanceof Map<?, ?> map) ? (Map<String, Object>) map
				: plainUser(subject, claims);
		Object tenant = user.getOrDefault("tenant_id", claims.get("tenant_id"));
		Map<String, Object> actor = (claims.get("act") instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
		List<Object> chain = (claims.get("delegation_chain") instanceof List<?> list) ? List.copyOf(list) : List.of();
		Map<String, Object> business = (claims.get("business_context") instanceof Map<?, ?> map)
				? (Map<String, Object>) map : null;
		return new CallerContext(subject, (tenant != null) ? tenant.toString() : null, user, actor, chain, business);
	}

	private static Map<String, Object> plainUser(String subject, Map<String, Object> claims) {
		Map<String, Object> user = new LinkedHashMap<>();
		if (subject != null) {
			user.put("user_id", subject);
		}
		for (String claim : USER_CLAIMS) {
			Object value = claims.getOrDefault(claim, claims.get("custom:" + claim));
			if (value != null) {
				user.put(claim, value);
			}
		}
		return user;
	}

}
