package dev.atrium.gateway.sts;

import java.util.Map;

import java.util.Set;

import dev.atrium.sts.exchange.ExchangeResult;
import dev.atrium.sts.exchange.GrantObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the STS's grants, {@code atrium.sts.grants}, by grant type, outcome and OAuth
 * error code. Tag values come from closed sets, whatever a client sends.
 */
final class StsGrantMetrics implements GrantObserver {

	static final String METER = "atrium.sts.grants";

	private static final Set<String> GRANTS = Set.of("urn:ietf:params:oauth:grant-type:token-exchange",
			"client_credentials");

	private static final Set<String> ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
			"invalid_target", "invalid_scope", "unauthorized_client", "unsupported_grant_type",
			"unsupported_token_type");

	private final MeterRegistry registry;

	StsGrantMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void observe(Map<String, Object> attributes, String grantType, String clientId, ExchangeResult result) {
		String grant = (grantType == null) ? "none" : GRANTS.contains(grantType) ? shortName(grantType) : "other";
		String error = (result instanceof ExchangeResult.Refused refused)
				? (ERRORS.contains(refused.error().code()) ? refused.error().code() : "other") : "none";
		Counter.builder(METER)
			.description("Grants decided by the embedded STS")
			.tag("grant", grant)
			.tag("outcome", (result instanceof ExchangeResult.Issued) ? "issued" : "refused")
			.tag("error", error)
			.register(this.registry)
			.increment();
	}

	private static String shortName(String grantType) {
		return grantType.startsWith("urn:") ? "token-exchange" : "client-credentials";
	}

}
