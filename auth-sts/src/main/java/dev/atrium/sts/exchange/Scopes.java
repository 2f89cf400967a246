package dev.atrium.sts.exchange;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How scopes contain each other: a scope covers itself and its narrower forms written
 * after a colon, so {@code mcp:write} covers {@code mcp:write:limited} but not
 * {@code mcp:writer}.
 */
public final class Scopes {

	private Scopes() {
	}

	public static boolean covers(Collection<String> held, String scope) {
		for (String granted : held) {
			if (scope.equals(granted) || scope.startsWith(granted + ":")) {
				return true;
			}
		}
		return false;
	}

	/** A space-separated scope parameter or claim (RFC 6749 section 3.3). */
	public static Set<String> parse(String value) {
		Set<String> scopes = new LinkedHashSet<>();
		if (value != null) {
			Arrays.stream(value.trim().split(" +")).filter((scope) -> !scope.isEmpty()).forEach(scopes::add);
		}
		return scopes;
	}

}
