package dev.atrium.sts.context;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.atrium.sts.token.TokenMinter;

/**
 * Tokens the STS mints for one target's audience, on behalf of the caller, for targets
 * that take a bearer token rather than context headers: the caller's own token never
 * leaves Atrium, and the minted one is good at that target alone.
 */
public final class TargetTokens {

	private final String issuer;

	private final Duration lifetime;

	private final TokenMinter minter;

	private final Clock clock;

	public TargetTokens(String issuer, Duration lifetime, TokenMinter minter, Clock clock) {
		this.issuer = issuer;
		this.lifetime = lifetime;
		this.minter = minter;
		this.clock = clock;
	}

	/**
	 * A token for the audience, with the caller's subject, scopes and delegation, never
	 * outliving the caller's token.
	 * @param caller the claims of the caller's verified token
	 * @param audience the target's audience
	 */
	public String mint(Map<String, Object> caller, String audience) {
		Instant now = this.clock.instant();
		Instant expiry = now.plus(this.lifetime);
		Instant callerExpiry = instant(caller.get("exp"));
		if (callerExpiry != null && callerExpiry.isBefore(expiry)) {
			expiry = callerExpiry;
		}
		CallerContext context = CallerContext.of(caller);
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(context.subject())
			.audience(audience)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(expiry))
			.jwtID(UUID.randomUUID().toString())
			.claim("user_context", context.user());
		copy(caller, claims, "client_id", "azp", "scope", "scp");
		if (context.tenantId() != null) {
			claims.claim("tenant_id", context.tenantId());
		}
		if (context.actor() != null) {
			claims.claim("act", context.actor());
		}
		if (!context.delegationChain().isEmpty()) {
			claims.claim("delegation_chain", context.delegationChain());
		}
		if (context.business() != null) {
			claims.claim("business_context", context.business());
		}
		return this.minter.mint(claims.build());
	}

	private static void copy(Map<String, Object> caller, JWTClaimsSet.Builder claims, String... names) {
		for (String name : names) {
			Object value = caller.get(name);
			if (value != null) {
				claims.claim(name, value);
			}
		}
	}

	private static Instant instant(Object value) {
		if (value instanceof Instant instant) {
			return instant;
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof Number seconds) {
			return Instant.ofEpochSecond(seconds.longValue());
		}
		return null;
	}

}
