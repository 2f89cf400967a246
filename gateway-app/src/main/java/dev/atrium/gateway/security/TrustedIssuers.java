package dev.atrium.gateway.security;

import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jwt.JWTParser;
import dev.atrium.policy.auth.IssuerJwtDecoders;
import dev.atrium.policy.auth.IssuerSpec;
import dev.atrium.policy.auth.ScopeAuthoritiesConverter;
import dev.atrium.sts.exchange.DelegationChainValidator;
import dev.atrium.sts.exchange.TokenVerifier;
import dev.atrium.sts.exchange.VerifiedToken;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.RevocationList;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * One decoder per configured issuer, shared by the scenarios and the STS. Atrium's own
 * tokens (the STS's, and JWT API keys) verify against their key ring in this process, and
 * pass more checks: their {@code jti} is not revoked, and an STS token's delegation chain
 * is within the current policies.
 */
public final class TrustedIssuers {

	private final Map<String, IssuerSpec> specs;

	private final Map<String, ReactiveJwtDecoder> decoders = new LinkedHashMap<>();

	/**
	 * @param issuers the configured issuers
	 * @param stsKeys the keys of the embedded STS's tokens
	 * @param apiKeys the keys of Atrium's JWT API keys
	 * @param chains checks the delegation chains of STS tokens
	 * @param revocations the deny-list of STS tokens and API keys
	 * @param clock the time
	 */
	public TrustedIssuers(Collection<IssuerSpec> issuers, StsKeyRing stsKeys, StsKeyRing apiKeys,
			DelegationChainValidator chains, RevocationList revocations, Clock clock) {
		Map<String, IssuerSpec> byName = new LinkedHashMap<>();
		for (IssuerSpec issuer : issuers) {
			byName.put(issuer.name(), issuer);
			this.decoders.put(issuer.name(), decoder(issuer, stsKeys, apiKeys, chains, revocations, clock));
		}
		this.specs = Map.copyOf(byName);
	}

	private static ReactiveJwtDecoder decoder(IssuerSpec issuer, StsKeyRing stsKeys, StsKeyRing apiKeys,
			DelegationChainValidator chains, RevocationList revocations, Clock clock) {
		if (issuer.jwksUri() != null) {
			return IssuerJwtDecoders.create(issuer, clock);
		}
		return switch (issuer.type()) {
			case ATRIUM_STS ->
				embedded(IssuerJwtDecoders.create(issuer, stsKeys.jwkSource(), clock), chains, revocations);
			case API_KEY -> embedded(IssuerJwtDecoders.create(issuer, apiKeys.jwkSource(), clock), null, revocations);
			default -> IssuerJwtDecoders.create(issuer, clock);
		};
	}

	public ReactiveJwtDecoder decoder(IssuerSpec issuer) {
		return this.decoders.get(issuer.name());
	}

	/**
	 * Verifies tokens presented to the STS: the issuer is picked by the token's
	 * {@code iss} among the allowed ones, then its own decoder decides.
	 * @param allowed names of the issuers whose tokens may be exchanged; all when empty
	 */
	public TokenVerifier verifier(List<String> allowed) {
		Set<String> names = allowed.isEmpty() ? this.specs.keySet() : Set.copyOf(allowed);
		Map<String, IssuerSpec> byIssuer = this.specs.values()
			.stream()
			.filter((spec) -> names.contains(spec.name()))
			.collect(Collectors.toMap(IssuerSpec::issuer, (spec) -> spec, (first, second) -> first));
		return (token) -> {
			Optional<IssuerSpec> spec = unverifiedIssuer(token).map(byIssuer::get);
			if (spec.isEmpty()) {
				return Mono.error(new TokenVerifier.InvalidTokenException("its issuer is not trusted"));
			}
			return this.decoders.get(spec.get().name())
				.decode(token)
				.map((jwt) -> verified(spec.get(), jwt))
				.onErrorMap(JwtException.class, (ex) -> new TokenVerifier.InvalidTokenException(ex.getMessage()));
		};
	}

	private static VerifiedToken verified(IssuerSpec spec, Jwt jwt) {
		Set<String> scopes = new ScopeAuthoritiesConverter(spec.scopePrefix()).convert(jwt)
			.stream()
			.map((authority) -> authority.getAuthority().substring(ScopeAuthoritiesConverter.PREFIX.length()))
			.collect(Collectors.toSet());
		return new VerifiedToken(spec.name(), jwt.getClaims(), scopes);
	}

	private static Optional<String> unverifiedIssuer(String token) {
		try {
			// Only to pick the issuer; its decoder verifies everything.
			return Optional.ofNullable(JWTParser.parse(token).getJWTClaimsSet().getIssuer());
		}
		catch (ParseException ex) {
			return Optional.empty();
		}
	}

	/** Atrium's own tokens: also their delegation chain (if any) and revocation. */
	private static ReactiveJwtDecoder embedded(ReactiveJwtDecoder decoder, DelegationChainValidator chains,
			RevocationList revocations) {
		return (token) -> decoder.decode(token).flatMap((jwt) -> {
			Optional<String> refusal = (chains != null) ? chains.validate(jwt.getClaims()) : Optional.empty();
			if (refusal.isPresent()) {
				return Mono.error(new BadJwtException("the token's delegation is not allowed: " + refusal.get()));
			}
			if (jwt.getId() == null) {
				return Mono.error(new BadJwtException("the token has no jti"));
			}
			return revocations.isRevoked(jwt.getId())
				.flatMap((revoked) -> revoked ? Mono.error(new BadJwtException("the token was revoked"))
						: Mono.just(jwt));
		});
	}

}
