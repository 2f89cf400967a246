package dev.atrium.sts.exchange;

/**
 * Told of every grant the STS decides, issued or refused: for metrics now, for the audit
 * trail later. Never told the token itself.
 */
@FunctionalInterface
public interface GrantObserver {

	GrantObserver NONE = (grantType, clientId, result) -> {
	};

	/**
	 * @param grantType the {@code grant_type} asked for, or {@code null} when missing
	 * @param clientId the authenticated client, or {@code null} when authentication
	 * failed
	 * @param result what the STS answered
	 */
	void observe(String grantType, String clientId, ExchangeResult result);

}
