package dev.atrium.policy.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claim checks of one issuer, after the signature has been verified: exact issuer,
 * required and current timestamps (on an injected clock), audience, client, the issuer
 * type's own rules, and configured claim conditions. Every failure is
 * {@code invalid_token}, the answer RFC 6750 gives for a token that must not be used.
 */
public final class IssuerClaimsValidator implements OAuth2TokenValidator<Jwt> {

	private final IssuerSpec spec;

	private final Clock clock;

	public IssuerClaimsValidator(IssuerSpec spec, Clock clock) {
		this.spec = spec;
		this.clock = clock;
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt jwt) {
		List<String> problems = new ArrayList<>();
		// The first problem becomes the challenge's description: the most telling first.
		checkTypeRules(jwt, problems);
		checkIssuer(jwt, problems);
		checkTimestamps(jwt, problems);
		checkAudience(jwt, problems);
		checkClient(jwt, problems);
		for (ClaimRule rule : this.spec.claims()) {
			if (!rule.test(jwt.getClaims().get(rule.claim()))) {
				problems.add("claim '" + rule.claim() + "' does not satisfy the issuer's rule");
			}
		}
		if (problems.isEmpty()) {
			return OAuth2TokenValidatorResult.success();
		}
		return OAuth2TokenValidatorResult.failure(problems.stream()
			.map((problem) -> new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, problem, null))
			.toList());
	}

	private void checkIssuer(Jwt jwt, List<String> problems) {
		// An exact comparison: a trailing slash or another scheme is another issuer.
		if (!this.spec.issuer().equals(jwt.getClaimAsString("iss"))) {
			problems.add("the token's issuer is not " + this.spec.issuer());
		}
	}

	private void checkTimestamps(Jwt jwt, List<String> problems) {
		Instant now = this.clock.instant();
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			problems.add("the token has no expiry");
		}
		else if (!now.minus(this.spec.clockSkew()).isBefore(expiresAt)) {
			problems.add("the token expired at " + expiresAt);
		}
		Instant notBefore = jwt.getNotBefore();
		if (notBefore != null && now.plus(this.spec.clockSkew()).isBefore(notBefore)) {
			problems.add("the token is not valid before " + notBefore);
		}
		Instant issuedAt = jwt.getIssuedAt();
		if (issuedAt != null && now.plus(this.spec.clockSkew()).isBefore(issuedAt)) {
			problems.add("the token was issued in the future, at " + issuedAt);
		}
	}

	private void checkAudience(Jwt jwt, List<String> problems) {
		if (this.spec.audiences().isEmpty()) {
			return;
		}
		List<String> audience = jwt.getAudience();
		if (audience == null || audience.stream().noneMatch(this.spec.audiences()::contains)) {
			problems.add("the token is not meant for this resource (aud)");
		}
	}

	private void checkClient(Jwt jwt, List<String> problems) {
		if (this.spec.clients().isEmpty()) {
			return;
		}
		String client = (jwt.getClaimAsString("client_id") != null) ? jwt.getClaimAsString("client_id")
				: jwt.getClaimAsString("azp");
		if (client == null || !this.spec.clients().contains(client)) {
			problems.add("the token's client is not allowed here");
		}
	}

	private void checkTypeRules(Jwt jwt, List<String> problems) {
		switch (this.spec.type()) {
			case COGNITO -> {
				// Cognito ID tokens are signed by the same keys: only access tokens pass.
				if (!"access".equals(jwt.getClaimAsString("token_use"))) {
					problems.add("only Cognito access tokens are accepted (token_use=access)");
				}
			}
			case KEYCLOAK -> {
				// Keycloak marks access tokens typ=Bearer and ID tokens typ=ID in the
				// payload.
				if (!"Bearer".equals(jwt.getClaimAsString("typ"))) {
					problems.add("only Keycloak access tokens are accepted (typ=Bearer)");
				}
			}
			default -> {
			}
		}
	}

}
