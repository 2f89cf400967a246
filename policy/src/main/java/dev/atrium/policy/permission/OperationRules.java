package dev.atrium.policy.permission;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which MCP methods a scenario serves at all, as the seed's {@code allowed_operations}
 * and {@code restricted_operations}: a method must match an allowed pattern (when any is
 * listed) and no denied one. Patterns are method names where {@code *} stands for any run
 * of characters, e.g. {@code admin/*}.
 */
public final class OperationRules {

	/** Every method. */
	public static final OperationRules ALL = new OperationRules(List.of(), List.of());

	/**
	 * Methods every client needs whatever the rules: its lifecycle, and
	 * {@code server/discover}, which stands for {@code initialize} in the sessionless
	 * revision (2026-07-28).
	 */
	private static final List<String> LIFECYCLE = List.of("initialize", "notifications/initialized", "ping",
			"notifications/cancelled", "server/discover");

	private final List<String> allowed;

	private final List<String> denied;

	private final List<Pattern> allowedPatterns;

	private final List<Pattern> deniedPatterns;

	public OperationRules(List<String> allowed, List<String> denied) {
		this.allowed = List.copyOf(allowed);
		this.denied = List.copyOf(denied);
		this.allowedPatterns = this.allowed.stream().map(OperationRules::pattern).toList();
		this.deniedPatterns = this.denied.stream().map(OperationRules::pattern).toList();
	}

	/** Whether the rules refuse any method at all. */
	public boolean restrictsAny() {
		return !this.allowed.isEmpty() || !this.denied.isEmpty();
	}

	public boolean permits(String method) {
		if (this.deniedPatterns.stream().anyMatch((pattern) -> pattern.matcher(method).matches())) {
			return false;
		}
		return LIFECYCLE.contains(method) || this.allowedPatterns.isEmpty()
				|| this.allowedPatterns.stream().anyMatch((pattern) -> pattern.matcher(method).matches());
	}

	private static Pattern pattern(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString());
	}

	@Override
	public String toString() {
		return "OperationRules[allowed=" + this.allowed + ", denied=" + this.denied + "]";
	}

}
