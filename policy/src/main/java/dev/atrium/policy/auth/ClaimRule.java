package dev.atrium.policy.auth;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A condition on one claim, in the spirit of the managed gateway's JWT authorizer.
 *
 * @param claim the claim name
 * @param operator how the claim is compared
 * @param values the value (equals, contains) or values (contains-any)
 */
public record ClaimRule(String claim, Operator operator, List<String> values) {

	public ClaimRule {
		Objects.requireNonNull(claim, "claim");
		Objects.requireNonNull(operator, "operator");
		values = List.copyOf(values);
		if (values.isEmpty()) {
			throw new IllegalArgumentException("claim rule on '" + claim + "' needs at least one value");
		}
	}

	/** Whether a claim value, as decoded from the token, satisfies the rule. */
	public boolean test(Object value) {
		if (value == null) {
			return false;
		}
		return switch (this.operator) {
			case EQUALS -> !(value instanceof Collection) && this.values.get(0).equals(String.valueOf(value));
			case CONTAINS -> elements(value).contains(this.values.get(0));
			case CONTAINS_ANY -> elements(value).stream().anyMatch(this.values::contains);
		};
	}

	private static Collection<String> elements(Object value) {
		if (value instanceof Collection<?> collection) {
			return collection.stream().map(String::valueOf).toList();
		}
		// A space-separated string (like scope) counts as a list of its words.
		return List.of(String.valueOf(value).split(" "));
	}

	/** How a claim is compared. */
	public enum Operator {

		/** The claim is a single value equal to the rule's value. */
		EQUALS,

		/** The claim is a list (or space-separated string) holding the value. */
		CONTAINS,

		/** The claim holds at least one of the values. */
		CONTAINS_ANY

	}

}
