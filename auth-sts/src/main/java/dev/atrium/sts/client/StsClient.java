package dev.atrium.sts.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * A client of the STS: how it authenticates and what it may ask for.
 *
 * @param id its {@code client_id}
 * @param secret its secret for {@code client_secret_basic} and
 * {@code client_secret_post}, or {@code null}
 * @param keys its public keys for {@code private_key_jwt}, or {@code null}
 * @param grantTypes the grants it may use
 * @param scopes what a {@code client_credentials} token may carry
 * @param tenant the tenant of its own {@code client_credentials} tokens, or {@code null}
 * @param requestOrigin written into {@code business_context.request_origin}
 * @param agent what the client is, when it acts as an agent ({@code agent_type},
 * {@code version}, {@code deployment_env}), for the {@code act} claim
 */
public record StsClient(String id, String secret, JWKSet keys, Set<Grant> grantTypes, List<String> scopes,
		String tenant, String requestOrigin, Map<String, String> agent) {

	public StsClient {
		Objects.requireNonNull(id, "id");
		grantTypes = Set.copyOf(grantTypes);
		scopes = List.copyOf(scopes);
		agent = Map.copyOf(agent);
		if (secret == null && keys == null) {
			throw new IllegalArgumentException("STS client '" + id + "' needs a secret or keys");
		}
	}

	public boolean mayUse(Grant grant) {
		return this.grantTypes.contains(grant);
	}

	@Override
	public String toString() {
		return "StsClient[id=" + this.id + ", grantTypes=" + this.grantTypes + ", secret="
				+ ((this.secret != null) ? "<hidden>" : "none") + "]";
	}

	/** The grants the STS serves. */
	public enum Grant {

		/** RFC 8693 token exchange. */
		TOKEN_EXCHANGE,

		/** RFC 6749 section 4.4, for the STS's own service accounts. */
		CLIENT_CREDENTIALS

	}

}
