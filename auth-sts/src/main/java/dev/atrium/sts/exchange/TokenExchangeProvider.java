package dev.atrium.sts.exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.atrium.sts.client.StsClient;
import dev.atrium.sts.exchange.ExchangeResult.Issued;
import dev.atrium.sts.exchange.ExchangeResult.Refused;
import dev.atrium.sts.exchange.TokenVerifier.InvalidTokenException;
import dev.atrium.sts.token.TokenMinter;
import reactor.core.publisher.Mono;

/**
 * Decides token exchange (RFC 8693) and client credentials grants, and mints the
 * composite token when every check passes. Refusals mint nothing. Knows no HTTP.
 */
public final class TokenExchangeProvider {

	private final StsSettings settings;

	private final List<DelegationPolicy> policies;

	private final TokenVerifier verifier;

	private final TokenMinter minter;

	private final Clock clock;

	public TokenExchangeProvider(StsSettings settings, List<DelegationPolicy> policies, TokenVerifier verifier,
			TokenMinter minter, Clock clock) {
		this.settings = settings;
		this.policies = List.copyOf(policies);
		this.verifier = verifier;
		this.minter = minter;
		this.clock = clock;
	}

	public List<DelegationPolicy> policies() {
		return this.policies;
	}

	/** Token exchange: the client asks for a token for the subject, acting or not. */
	public Mono<ExchangeResult> exchange(TokenExchangeCommand command) {
		Optional<StsError> malformed = checkRequest(command);
		if (malformed.isPresent()) {
			return Mono.just(new Refused(malformed.get()));
		}
		Mono<Optional<VerifiedToken>> actor = (command.actorToken() != null)
				? verify(command.actorToken(), "actor_token").map(Optional::of) : Mono.just(Optional.empty());
		return verify(command.subjectToken(), "subject_token")
			.zipWith(actor, (subject, acting) -> decide(command, subject, acting.orElse(null)))
			.onErrorResume(InvalidTokenException.class,
					(ex) -> Mono.just(new Refused(StsError.invalidGrant(ex.getMessage()))));
	}

	/** Client credentials for the STS's own service accounts (RFC 6749 section 4.4). */
	public ExchangeResult clientCredentials(StsClient client, String scope, List<String> resources) {
		if (!client.mayUse(StsClient.Grant.CLIENT_CREDENTIALS)) {
			return new Refused(StsError.unauthorizedClient("the client may not use client_credentials"));
		}
		Either<List<String>> audiences = audiences(List.of(), resources);
		if (audiences.error() != null) {
			return new Refused(audiences.error());
		}
		Set<String> requested = (scope != null) ? Scopes.parse(scope) : new LinkedHashSet<>(client.scopes());
		for (String wanted : requested) {
			// RFC 6749 section 5.2: a scope beyond what the client was granted.
			if (!Scopes.covers(client.scopes(), wanted)) {
				return new Refused(StsError.invalidScope("the client may not request scope " + wanted));
			}
		}
		Instant now = this.clock.instant();
		JWTClaimsSet.Builder claims = common(now, now.plus(this.settings.tokenLifetime()), audiences.value(), requested)
			.subject(client.id())
			.claim("client_id", client.id());
		if (client.tenant() != null) {
			claims.claim("tenant_id", client.tenant());
		}
		return issue(claims.build(), TokenTypes.ACCESS_TOKEN, now, requested);
	}

	private Optional<StsError> checkRequest(TokenExchangeCommand command) {
		// RFC 6749 section 5.2: a client may be limited to some grants.
		if (!command.client().mayUse(StsClient.Grant.TOKEN_EXCHANGE)) {
			return Optional.of(StsError.unauthorizedClient("the client may not use token exchange"));
		}
		// RFC 8693 section 2.1: subject_token and subject_token_type are required.
		if (blank(command.subjectToken()) || blank(command.subjectTokenType())) {
			return Optional.of(StsError.invalidRequest("subject_token and subject_token_type are required"));
		}
		// RFC 8693 section 2.1: actor_token_type is required with actor_token, and only
		// with it.
		if (blank(command.actorToken()) != blank(command.actorTokenType())) {
			return Optional.of(StsError.invalidRequest("actor_token and actor_token_type go together"));
		}
		if (!TokenTypes.ACCEPTED.contains(command.subjectTokenType())) {
			return Optional.of(StsError
				.unsupportedTokenType("subject_token_type " + command.subjectTokenType() + " is not supported"));
		}
		if (command.actorTokenType() != null && !TokenTypes.ACCEPTED.contains(command.actorTokenType())) {
			return Optional.of(StsError
				.unsupportedTokenType("actor_token_type " + command.actorTokenType() + " is not supported"));
		}
		if (command.requestedTokenType() != null && !TokenTypes.ISSUED.contains(command.requestedTokenType())) {
			return Optional.of(StsError
				.unsupportedTokenType("requested_token_type " + command.requestedTokenType() + " cannot be issued"));
		}
		Either<List<String>> audiences = audiences(command.audiences(), command.resources());
		return Optional.ofNullable(audiences.error());
	}

	private ExchangeResult decide(TokenExchangeCommand command, VerifiedToken subject, VerifiedToken actor) {
		if (actor == null) {
			return impersonate(command, subject);
		}
		// The actor token proves who acts: it must be the authenticated client's own.
		if (!command.client().id().equals(actor.partyId())) {
			return new Refused(StsError.invalidGrant("the actor_token was not issued to the authenticated client"));
		}
		// RFC 8693 section 4.4: may_act names who may act for the subject.
		Map<String, Object> mayAct = subject.object("may_act");
		if (mayAct != null && !mayActAllows(mayAct, actor)) {
			return new Refused(StsError.invalidGrant("the subject_token's may_act does not name the actor"));
		}
		Map<String, Object> previousAct = subject.object("act");
		int depth = CompositeClaims.depth(previousAct) + 1;
		List<DelegationPolicy> applicable = this.policies.stream()
			.filter((policy) -> policy.applies(subject, actor))
			.toList();
		if (applicable.isEmpty()) {
			return new Refused(StsError
				.invalidGrant("no delegation policy lets " + actor.partyId() + " act for " + subject.subject()));
		}
		Optional<DelegationPolicy> deepEnough = applicable.stream()
			.filter((policy) -> depth <= policy.maxDelegationDepth())
			.findFirst();
		if (deepEnough.isEmpty()) {
			return new Refused(StsError.invalidGrant("a delegation chain of depth " + depth + " is too long"));
		}
		DelegationPolicy policy = deepEnough.get();
		Either<Set<String>> scopes = downScope(command.scope(), subject, policy);
		if (scopes.error() != null) {
			return new Refused(scopes.error());
		}
		Instant now = this.clock.instant();
		JWTClaimsSet.Builder claims = forSubject(command, subject, policy, scopes.value(), now)
			.claim("act", CompositeClaims.act(actor, command.client(), subject))
			.claim("delegation_chain", CompositeClaims.delegationChain(subject, actor, scopes.value(), now));
		return issue(claims.build(), issuedType(command), now, scopes.value());
	}

	private ExchangeResult impersonate(TokenExchangeCommand command, VerifiedToken subject) {
		// RFC 8693 section 1.1: without an actor the client becomes the subject; only
		// where a policy says so.
		Optional<DelegationPolicy> policy = this.policies.stream()
			.filter((candidate) -> candidate.allowsImpersonation(subject, command.client().id()))
			.findFirst();
		if (policy.isEmpty()) {
			return new Refused(StsError
				.invalidGrant("no policy lets " + command.client().id() + " impersonate " + subject.subject()));
		}
		if (subject.object("act") != null) {
			return new Refused(StsError.invalidGrant("a delegated token cannot be exchanged without its actor"));
		}
		Either<Set<String>> scopes = downScope(command.scope(), subject, policy.get());
		if (scopes.error() != null) {
			return new Refused(scopes.error());
		}
		Instant now = this.clock.instant();
		return issue(forSubject(command, subject, policy.get(), scopes.value(), now).build(), issuedType(command), now,
				scopes.value());
	}

	/** What every exchanged token says of its subject; delegation adds the actor. */
	private JWTClaimsSet.Builder forSubject(TokenExchangeCommand command, VerifiedToken subject,
			DelegationPolicy policy, Set<String> scopes, Instant now) {
		return common(now, expiry(now, subject), audiences(command.audiences(), command.resources()).value(), scopes)
			.subject(subject.subject())
			.claim("client_id", command.client().id())
			.claim("user_context", CompositeClaims.userContext(subject))
			.claim("business_context", CompositeClaims.businessContext(subject, command.client(), policy));
	}

	/**
	 * The scopes to grant: those asked for, or all the policy allows; each within what
	 * the subject holds and what the policy allows, never more (RFC 8693 section 2.1).
	 */
	private Either<Set<String>> downScope(String scope, VerifiedToken subject, DelegationPolicy policy) {
		Set<String> held = subject.scopes();
		if (scope != null) {
			Set<String> requested = Scopes.parse(scope);
			if (requested.isEmpty()) {
				return Either.error(StsError.invalidScope("the scope parameter is empty"));
			}
			for (String wanted : requested) {
				if (!Scopes.covers(held, wanted)) {
					return Either.error(StsError.invalidScope("the subject does not hold scope " + wanted));
				}
				if (!Scopes.covers(policy.allowedScopes(), wanted)) {
					return Either.error(StsError
						.invalidScope("delegation policy '" + policy.name() + "' does not allow scope " + wanted));
				}
			}
			return Either.value(requested);
		}
		Set<String> granted = new LinkedHashSet<>();
		for (String allowed : policy.allowedScopes()) {
			if (Scopes.covers(held, allowed)) {
				granted.add(allowed);
			}
		}
		if (granted.isEmpty()) {
			return Either.error(StsError.invalidScope("the subject holds none of the scopes policy '" + policy.name()
					+ "' allows: " + policy.allowedScopes()));
		}
		return Either.value(granted);
	}

	/** RFC 8707 section 2 and RFC 8693 section 2.2.2: only allow-listed targets. */
	private Either<List<String>> audiences(List<String> audiences, List<String> resources) {
		List<String> requested = new ArrayList<>(audiences);
		requested.addAll(resources);
		for (String target : requested) {
			if (!this.settings.audiences().contains(target)) {
				return Either.error(StsError.invalidTarget("tokens are not issued for " + target));
			}
		}
		return Either.value(requested.isEmpty() ? List.of(this.settings.defaultAudience())
				: requested.stream().distinct().toList());
	}

	private JWTClaimsSet.Builder common(Instant now, Instant expiry, List<String> audiences, Set<String> scopes) {
		return new JWTClaimsSet.Builder().issuer(this.settings.issuer())
			.audience(audiences)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(expiry))
			.jwtID(UUID.randomUUID().toString())
			.claim("scope", String.join(" ", scopes));
	}

	private Issued issue(JWTClaimsSet claims, String tokenType, Instant now, Set<String> scopes) {
		String token = this.minter.mint(claims);
		long lifetime = Duration.between(now, claims.getExpirationTime().toInstant()).toSeconds();
		return new Issued(token, tokenType, lifetime, scopes, claims.getJWTID());
	}

	/** A delegated token never outlives the token it was made from. */
	private Instant expiry(Instant now, VerifiedToken subject) {
		Instant expiry = now.plus(this.settings.tokenLifetime());
		Instant subjectExpiry = subject.expiresAt();
		return (subjectExpiry != null && subjectExpiry.isBefore(expiry)) ? subjectExpiry : expiry;
	}

	private Mono<VerifiedToken> verify(String token, String parameter) {
		return this.verifier.verify(token)
			.onErrorMap(InvalidTokenException.class,
					(ex) -> new InvalidTokenException("the " + parameter + " is not acceptable: " + ex.getMessage()))
			.switchIfEmpty(Mono.error(() -> new InvalidTokenException("the " + parameter + " is not acceptable")));
	}

	private static boolean mayActAllows(Map<String, Object> mayAct, VerifiedToken actor) {
		Object sub = mayAct.get("sub");
		Object iss = mayAct.get("iss");
		boolean subjectMatches = sub != null && (sub.equals(actor.partyId()) || sub.equals(actor.subject()));
		return subjectMatches && (iss == null || iss.equals(actor.issuer()));
	}

	private static String issuedType(TokenExchangeCommand command) {
		return (command.requestedTokenType() != null) ? command.requestedTokenType() : TokenTypes.ACCESS_TOKEN;
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	/** A value or the refusal that replaces it. */
	private record Either<T>(T value, StsError error) {

		static <T> Either<T> value(T value) {
			return new Either<>(value, null);
		}

		static <T> Either<T> error(StsError error) {
			return new Either<>(null, error);
		}

	}

}
