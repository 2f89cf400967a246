package dev.atrium.sts.exchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A token whose signature, issuer, lifetime and issuer rules were verified, with what the
 * STS reads from it.
 *
 * @param issuerName the name of the configured issuer that verified it
 * @param claims its claims
 * @param scopes its scopes, with the issuer's prefix removed
 */
public record VerifiedToken(String issuerName, Map<String, Object> claims, Set<String> scopes) {

	public VerifiedToken {
		Objects.requireNonNull(issuerName, "issuerName");
		claims = Map.copyOf(claims);
		scopes = Set.copyOf(scopes);
	}

	public String issuer() {
		return string("iss");
	}

	public String subject() {
		return string("sub");
	}

	/** The client the token was issued to: {@code client_id}, else {@code azp}. */
	public String clientId() {
		String clientId = string("client_id");
		return (clientId != null) ? clientId : string("azp");
	}

	/**
	 * The party the token speaks for, as policies and delegation chains name it: its
	 * client for a client's own token (an agent's client credentials), else its subject.
	 */
	public String partyId() {
		String clientId = clientId();
		return (clientId != null) ? clientId : subject();
	}

	/** Whether a pattern names this party. */
	public boolean isNamedBy(Glob pattern) {
		return pattern.matches(partyId());
	}

	public Instant expiresAt() {
		Object exp = this.claims.get("exp");
		if (exp instanceof Instant instant) {
			return instant;
		}
		if (exp instanceof Number seconds) {
			return Instant.ofEpochSecond(seconds.longValue());
		}
		return null;
	}

	public String string(String claim) {
		Object value = this.claims.get(claim);
		return (value instanceof String string) ? string : null;
	}

	@SuppressWarnings("unchecked")
	public Map<String, Object> object(String claim) {
		Object value = this.claims.get(claim);
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
	}

	public List<?> list(String claim) {
		Object value = this.claims.get(claim);
		return (value instanceof List<?> list) ? list : null;
	}

}
