package dev.atrium.observability.logging;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * The last line of defence against credentials in logs: replaces what looks like one with
 * {@value #REDACTED} before a line is written. Atrium does not log credentials (an
 * end-to-end test checks a whole run); this catches what a library or a careless message
 * might. What it recognises:
 * <ul>
 * <li>JWTs, signed or encrypted (access tokens, ID tokens, API keys, STS tokens): three
 * to five base64url parts, the first one starting with {@code eyJ} ({@code {"}).
 * <li>Credentials after an HTTP authentication scheme ({@code Bearer}, {@code Basic},
 * {@code DPoP}), when they look random rather than like a word.
 * <li>Values of parameters named like a secret ({@code client_secret}, {@code password},
 * {@code subject_token}, {@code api_key}, ...) after {@code =} or {@code :}, as in form
 * bodies, query strings, JSON and properties.
 * <li>Passwords in URLs ({@code redis://user:password@host}).
 * </ul>
 */
public final class LogRedaction {

	public static final String REDACTED = "[REDACTED]";

	private static final Pattern CREDENTIAL = Pattern.compile(
	// @formatter:off
			"(?<jwt>eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*){2,4})"
			+ "|(?<scheme>\\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC|DPoP)\\s+)(?<credential>[A-Za-z0-9._~+/-]{8,}=*)"
			+ "|(?<parameter>\\b(?i:client_secret|client_assertion|password|passwd|secret|api[_-]?key|access_token"
			+ "|refresh_token|id_token|subject_token|actor_token)(?:\\\\?\")?\\s*[=:]\\s*(?:\\\\?\")?)"
			+ "(?<value>[^\\s\"\\\\&,;}]+)"
			+ "|(?<userinfo>\\b[A-Za-z][A-Za-z0-9+.-]*://[^\\s/:@\"]*:)(?<password>[^\\s/@\"]+)@");
	// @formatter:on

	private LogRedaction() {
	}

	/** The text with every credential it recognises replaced. */
	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		Matcher matcher = CREDENTIAL.matcher(text);
		if (!matcher.find()) {
			return text;
		}
		return matcher.reset().replaceAll((match) -> Matcher.quoteReplacement(replacement(match)));
	}

	/**
	 * A URI as it may be logged: without its user info, which may hold a password
	 * ({@code redis://:password@host}).
	 */
	public static String uri(URI uri) {
		if (uri == null || uri.getRawUserInfo() == null) {
			return String.valueOf(uri);
		}
		try {
			return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
					uri.getFragment())
				.toString();
		}
		catch (URISyntaxException ex) {
			return uri.getScheme() + "://" + REDACTED;
		}
	}

	private static String replacement(MatchResult match) {
		if (match.group("jwt") != null) {
			return REDACTED;
		}
		if (match.group("scheme") != null) {
			return random(match.group("credential")) ? match.group("scheme") + REDACTED : match.group();
		}
		if (match.group("parameter") != null) {
			return match.group("parameter") + REDACTED;
		}
		return match.group("userinfo") + REDACTED + "@";
	}

	/**
	 * Whether the word after an authentication scheme is a credential rather than prose
	 * ({@code Basic authentication}, {@code Bearer realm}): credentials carry digits,
	 * symbols or capitals inside.
	 */
	private static boolean random(String credential) {
		for (int i = 0; i < credential.length(); i++) {
			char c = credential.charAt(i);
			if (Character.isDigit(c) || "+/=_.~-".indexOf(c) >= 0 || (i > 0 && Character.isUpperCase(c))) {
				return true;
			}
		}
		return false;
	}

}
