package dev.atrium.sts.exchange;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A name pattern as the seed writes them: {@code *} stands for any run of characters,
 * everything else is literal ({@code ai-agent-*}).
 */
public final class Glob {

	private final String pattern;

	private final Pattern regex;

	private Glob(String pattern) {
		this.pattern = pattern;
		StringBuilder regex = new StringBuilder();
		for (String part : pattern.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		this.regex = Pattern.compile(regex.toString());
	}

	public static Glob of(String pattern) {
		Objects.requireNonNull(pattern, "pattern");
		if (pattern.isBlank()) {
			throw new IllegalArgumentException("a name pattern must not be blank");
		}
		return new Glob(pattern);
	}

	public boolean matches(String name) {
		return name != null && this.regex.matcher(name).matches();
	}

	@Override
	public String toString() {
		return this.pattern;
	}

}
