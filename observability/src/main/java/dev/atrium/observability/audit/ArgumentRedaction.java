package dev.atrium.observability.audit;

import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What of a tool call's or prompt's arguments the audit trail keeps: nothing, their
 * names, or their values with sensitive fields masked and long strings cut.
 */
public final class ArgumentRedaction {

	/** How much of the arguments is kept. */
	public enum Mode {

		/** No arguments. */
		NONE,

		/** The names of the top-level arguments, no values. */
		NAMES,

		/** The values, but fields whose names look sensitive are masked. */
		FULL

	}

	static final String MASK = "[REDACTED]";

	private static final int MAX_STRING = 1024;

	private final Mode mode;

	private final List<String> sensitive;

	/**
	 * @param mode how much is kept
	 * @param sensitive parts of field names (any case) whose values are masked, e.g.
	 * {@code password}, {@code token}
	 */
	public ArgumentRedaction(Mode mode, List<String> sensitive) {
		this.mode = mode;
		this.sensitive = sensitive.stream().map((part) -> part.toLowerCase(Locale.ROOT)).toList();
	}

	/** What is kept of these arguments, or {@code null} for nothing. */
	public JsonNode apply(JsonNode arguments) {
		if (arguments == null || !arguments.isObject() || this.mode == Mode.NONE) {
			return null;
		}
		if (this.mode == Mode.NAMES) {
			ArrayNode names = JsonNodeFactory.instance.arrayNode();
			arguments.propertyNames().forEach(names::add);
			return names;
		}
		return masked(arguments);
	}

	private JsonNode masked(JsonNode node) {
		if (node.isObject()) {
			ObjectNode copy = JsonNodeFactory.instance.objectNode();
			node.properties()
				.forEach((entry) -> copy.set(entry.getKey(), isSensitive(entry.getKey())
						? JsonNodeFactory.instance.stringNode(MASK) : masked(entry.getValue())));
			return copy;
		}
		if (node.isArray()) {
			ArrayNode copy = JsonNodeFactory.instance.arrayNode();
			node.forEach((item) -> copy.add(masked(item)));
			return copy;
		}
		if (node.isString() && node.asString().length() > MAX_STRING) {
			return JsonNodeFactory.instance.stringNode(node.asString().substring(0, MAX_STRING) + "...");
		}
		return node;
	}

	private boolean isSensitive(String field) {
		String lower = field.toLowerCase(Locale.ROOT);
		return this.sensitive.stream().anyMatch(lower::contains);
	}

	@Override
	public String toString() {
		return "ArgumentRedaction[" + this.mode + ", sensitive=" + this.sensitive + "]";
	}

}
