package dev.atrium.sts.exchange;

import java.util.List;
import java.util.Objects;

/**
 * Who may act for whom, as the seed's {@code delegation_policies} write it.
 *
 * @param name the policy's name, recorded in the tokens it allows
 * @param subjectPattern the subjects (users) it applies to
 * @param actorPattern the actors (agents, by client id or subject) that may act for them
 * @param allowedScopes the most a delegated token may carry
 * @param maxDelegationDepth the longest chain of actors, 1 for a single agent
 * @param impersonation whether the actor may get a token without an {@code act} claim,
 * i.e. become the subject (RFC 8693 section 1.1)
 * @param complianceLevel written into the tokens' {@code business_context}
 * @param dataClassification written into the tokens' {@code business_context}
 */
public record DelegationPolicy(String name, Glob subjectPattern, Glob actorPattern, List<String> allowedScopes,
		int maxDelegationDepth, boolean impersonation, String complianceLevel, String dataClassification) {

	public DelegationPolicy {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(subjectPattern, "subjectPattern");
		Objects.requireNonNull(actorPattern, "actorPattern");
		allowedScopes = List.copyOf(allowedScopes);
		if (allowedScopes.isEmpty()) {
			throw new IllegalArgumentException("delegation policy '" + name + "' must allow at least one scope");
		}
		if (maxDelegationDepth < 1) {
			throw new IllegalArgumentException(
					"delegation policy '" + name + "' max-delegation-depth must be >= 1, was " + maxDelegationDepth);
		}
	}

	/** Whether this policy lets the actor act for the subject. */
	public boolean applies(VerifiedToken subject, VerifiedToken actor) {
		return this.subjectPattern.matches(subject.subject()) && actor.isNamedBy(this.actorPattern);
	}

	/** Whether this policy lets the client become the subject. */
	public boolean allowsImpersonation(VerifiedToken subject, String clientId) {
		return this.impersonation && this.subjectPattern.matches(subject.subject())
				&& this.actorPattern.matches(clientId);
	}

	/**
	 * Whether one recorded step of a delegation chain is within this policy.
	 * @param position the step's place in the chain, 1 for the user's own delegation
	 * @param chainDepth how many steps the whole chain has
	 */
	public boolean allowsStep(String delegator, String delegate, List<String> scopes, int position, int chainDepth) {
		return chainDepth <= this.maxDelegationDepth && this.actorPattern.matches(delegate)
				&& (position > 1 || this.subjectPattern.matches(delegator))
				&& scopes.stream().allMatch((scope) -> Scopes.covers(this.allowedScopes, scope));
	}

}
