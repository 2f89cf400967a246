package dev.atrium.policy.ratelimit;

/** Whose budget a request takes from. */
public enum RateKey {

	/** The client application ({@code client_id} or {@code azp}): the seed's per-app. */
	CLIENT,

	/** The tenant: the seed's enterprise limit, shared by all of a tenant's callers. */
	TENANT,

	/** The token's subject: per user, or per service account. */
	SUBJECT

}
