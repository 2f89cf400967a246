package dev.atrium.sts.exchange;

import java.util.Map;

/**
 * Told of every grant the STS decides, issued or refused: for metrics and for the audit
 * trail. Never told the token itself.
 */
@FunctionalInterface
public interface GrantObserver {

	GrantObserver NONE = (attributes, grantType, clientId, result) -> {
	};

	/**
	 * @param attributes the HTTP exchange's attributes (the request id, for one)
	 * @param grantType the {@code grant_type} asked for, or {@code null} when missing
	 * @param clientId the authenticated client, or {@code null} when authentication
	 * failed
	 * @param result what the STS answered
	 */
	void observe(Map<String, Object> attributes, String grantType, String clientId, ExchangeResult result);

}
