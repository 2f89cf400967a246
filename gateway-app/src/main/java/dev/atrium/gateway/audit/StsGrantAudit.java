package dev.atrium.gateway.audit;

import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.observability.RequestIdWebFilter;
import dev.atrium.observability.audit.AuditTrail;
import dev.atrium.sts.exchange.ExchangeResult;
import dev.atrium.sts.exchange.GrantObserver;
import dev.atrium.sts.exchange.TokenTypes;
import tools.jackson.databind.node.ObjectNode;

/**
 * One audit event per grant the STS decides: the seed's {@code token_exchange_context}
 * and, for a token minted for an agent acting for a user, its {@code delegation_context}.
 * The token itself is never recorded, only its id and claims.
 */
final class StsGrantAudit implements GrantObserver {

	private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	private final AuditTrail trail;

	StsGrantAudit(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	public void observe(Map<String, Object> attributes, String grantType, String clientId, ExchangeResult result) {
		ObjectNode event = AuditTrail.body();
		event.put("request_id", (String) attributes.get(RequestIdWebFilter.ATTRIBUTE));
		event.put("client_id", clientId);
		ObjectNode exchange = event.putObject("token_exchange_context");
		exchange.put("grant_type", grantType);
		switch (result) {
			case ExchangeResult.Issued issued -> {
				event.put("outcome", "issued");
				exchange.put("issued_token_type", issued.issuedTokenType());
				exchange.put("jti", issued.jti());
				exchange.put("scope", String.join(" ", issued.scopes()));
				exchange.put("expires_in", issued.expiresIn());
				Map<String, Object> claims = claims(issued.accessToken());
				event.put("subject", String.valueOf(claims.get("sub")));
				if (claims.get("aud") != null) {
					event.put("audience", String.valueOf(claims.get("aud")));
				}
				if (claims.get("act") instanceof Map) {
					exchange.put("subject_token_type", TokenTypes.ACCESS_TOKEN);
					DelegationContexts.write(event.putObject("delegation_context"), claims);
				}
			}
			case ExchangeResult.Refused refused -> {
				event.put("outcome", "refused");
				event.put("error", refused.error().code());
				event.put("error_description", refused.error().description());
			}
		}
		this.trail.record(TOKEN_EXCHANGE.equals(grantType) ? "token_exchange" : "token_grant", event);
	}

	private static Map<String, Object> claims(String token) {
		try {
			JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
			return claims.toJSONObject();
		}
		catch (ParseException ex) {
			return Map.of();
		}
	}

	@Override
	public String toString() {
		return "StsGrantAudit";
	}

}
