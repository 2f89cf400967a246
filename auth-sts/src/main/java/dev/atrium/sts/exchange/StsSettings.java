package dev.atrium.sts.exchange;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What every token the STS issues has in common.
 *
 * @param issuer the {@code iss} of its tokens and its metadata
 * @param tokenLifetime how long an issued token lives (never beyond its subject token)
 * @param audiences the audiences and resources (RFC 8707) tokens may be issued for
 * @param defaultAudience the audience of a token whose request names none
 */
public record StsSettings(String issuer, Duration tokenLifetime, List<String> audiences, String defaultAudience) {

	public StsSettings {
		Objects.requireNonNull(issuer, "issuer");
		Objects.requireNonNull(tokenLifetime, "tokenLifetime");
		if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
			throw new IllegalArgumentException("token lifetime must be > 0, was " + tokenLifetime);
		}
		audiences = List.copyOf(audiences);
		Objects.requireNonNull(defaultAudience, "defaultAudience");
		if (!audiences.contains(defaultAudience)) {
			throw new IllegalArgumentException(
					"the default audience '" + defaultAudience + "' must be one of the allowed audiences " + audiences);
		}
	}

}
