package dev.atrium.policy.tenant;

import java.util.List;
import java.util.Map;

/**
 * Where a token says its tenant: the first of some claims that is present. A path with
 * dots reaches into objects ({@code user_context.tenant_id}, as the STS writes it);
 * Cognito's custom attributes are named as they are ({@code custom:tenant_id}).
 */
public final class TenantClaims {

	private final List<String> claims;

	public TenantClaims(List<String> claims) {
		this.claims = List.copyOf(claims);
	}

	/** The tenant of a token's claims, or {@code null}. */
	public String tenant(Map<String, Object> tokenClaims) {
		for (String claim : this.claims) {
			Object value = find(tokenClaims, claim);
			if (value instanceof String text && !text.isBlank()) {
				return text;
			}
		}
		return null;
	}

	private static Object find(Map<String, Object> claims, String path) {
		if (claims.containsKey(path)) {
			return claims.get(path);
		}
		Object current = claims;
		for (String part : path.split("\\.")) {
			if (!(current instanceof Map<?, ?> object)) {
				return null;
			}
			current = object.get(part);
		}
		return current;
	}

	@Override
	public String toString() {
		return "TenantClaims" + this.claims;
	}

}
