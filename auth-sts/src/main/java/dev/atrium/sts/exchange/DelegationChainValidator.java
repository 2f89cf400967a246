package dev.atrium.sts.exchange;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the delegation an STS token records, where the gateway accepts it: the chain no
 * longer than a policy allows, each step allowed by a policy, and the chain agreeing with
 * the {@code act} claim. Tokens minted before a policy was narrowed are refused once it
 * is.
 */
public final class DelegationChainValidator {

	private final List<DelegationPolicy> policies;

	public DelegationChainValidator(List<DelegationPolicy> policies) {
		this.policies = List.copyOf(policies);
	}

	/** Empty when the delegation is valid, else why not. */
	public Optional<String> validate(Map<String, Object> claims) {
		Object act = claims.get("act");
		Object chain = claims.get("delegation_chain");
		if (act == null && chain == null) {
			return Optional.empty();
		}
		if (!(act instanceof Map<?, ?> actor) || !(chain instanceof List<?> steps)) {
			return Optional.of("act and delegation_chain must come together");
		}
		@SuppressWarnings("unchecked")
		int depth = CompositeClaims.depth((Map<String, Object>) actor);
		if (depth != steps.size()) {
			return Optional
				.of("the delegation chain has " + steps.size() + " steps but act names " + depth + " actors");
		}
		if (!String.valueOf(actor.get("sub")).equals(delegate(steps.get(steps.size() - 1)))) {
			return Optional.of("the last delegation step does not name the acting party");
		}
		for (int i = 0; i < steps.size(); i++) {
			Optional<String> refusal = validateStep(steps.get(i), i + 1, depth, claims.get("sub"));
			if (refusal.isPresent()) {
				return refusal;
			}
		}
		return Optional.empty();
	}

	private Optional<String> validateStep(Object step, int position, int depth, Object subject) {
		if (!(step instanceof Map<?, ?> map) || !(map.get("delegator") instanceof String delegator)
				|| !(map.get("delegate") instanceof String delegate) || !(map.get("scope") instanceof List<?> scope)) {
			return Optional.of("delegation step " + position + " is malformed");
		}
		if (position == 1 && !delegator.equals(subject)) {
			return Optional.of("the delegation chain does not start at the token's subject");
		}
		List<String> scopes = scope.stream().map(String::valueOf).toList();
		// The depth of the whole chain counts against every policy it passes through.
		boolean allowed = this.policies.stream()
			.anyMatch((policy) -> policy.allowsStep(delegator, delegate, scopes, position, depth));
		return allowed ? Optional.empty() : Optional
			.of("no delegation policy allows step " + position + " (" + delegator + " to " + delegate + ")");
	}

	private static String delegate(Object step) {
		return (step instanceof Map<?, ?> map) ? String.valueOf(map.get("delegate")) : null;
	}

}
