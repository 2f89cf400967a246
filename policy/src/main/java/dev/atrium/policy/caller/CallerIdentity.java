package dev.atrium.policy.caller;

import java.util.Set;

/**
 * Who the verified token says the caller is, in the terms policies decide on.
 *
 * @param issuer the token's issuer, or {@code null} for an anonymous caller
 * @param subject the token's subject
 * @param clientId the client ({@code client_id}, else {@code azp}), or {@code null}
 * @param tenant the tenant, or {@code null}
 * @param scopes the granted scopes
 * @param rateTier the token's own rate tier ({@code rate_tier}, as API keys carry), or
 * {@code null}
 * @param address the caller's IP address, which keys anonymous callers
 */
public record CallerIdentity(String issuer, String subject, String clientId, String tenant, Set<String> scopes,
		String rateTier, String address) {

	public CallerIdentity {
		scopes = Set.copyOf(scopes);
	}

	public static CallerIdentity anonymous(String address) {
		return new CallerIdentity(null, null, null, null, Set.of(), null, address);
	}

	public boolean anonymous() {
		return this.issuer == null;
	}

	/**
	 * The id sessions are bound to: issuer, subject and tenant, so that a session opened
	 * for one tenant is no use under another.
	 */
	public String sessionId() {
		if (anonymous()) {
			return null;
		}
		return this.issuer + "|" + this.subject + ((this.tenant != null) ? "|" + this.tenant : "");
	}

}
