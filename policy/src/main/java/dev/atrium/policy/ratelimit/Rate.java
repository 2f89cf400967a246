package dev.atrium.policy.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * So many requests per period, refilled smoothly: {@code 1000/hour} admits a burst of
 * 1000 and then one more request every 3.6 seconds.
 *
 * @param capacity how many requests the period admits
 * @param period the period
 */
public record Rate(long capacity, Duration period) {

	private static final Pattern TEXT = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S+)\\s*");

	private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

	public Rate {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
		}
		Objects.requireNonNull(period, "period");
		if (period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("period must be > 0, was " + period);
		}
	}

	/**
	 * Reads the seed's notation: {@code 1000/minute}, {@code 10000/hour},
	 * {@code 10000/day}, {@code 50/second}, or any duration: {@code 100/10s}.
	 * @throws IllegalArgumentException naming the text when it is not a rate
	 */
	public static Rate parse(String text) {
		Matcher matcher = TEXT.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a rate: write requests/period, e.g. 1000/hour or 100/10s");
		}
		return new Rate(Long.parseLong(matcher.group(1)), period(matcher.group(2), text));
	}

	private static Duration period(String unit, String text) {
		return switch (unit.toLowerCase(Locale.ROOT)) {
			case "second", "sec", "s" -> Duration.ofSeconds(1);
			case "minute", "min", "m" -> Duration.ofMinutes(1);
			case "hour", "h" -> Duration.ofHours(1);
			case "day", "d" -> Duration.ofDays(1);
			default -> duration(unit, text);
		};
	}

	private static Duration duration(String unit, String text) {
		Matcher matcher = DURATION.matcher(unit.toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text
					+ "' is not a rate: the period must be second, minute, hour, day or a duration like 10s");
		}
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			default -> Duration.ofDays(amount);
		};
	}

	@Override
	public String toString() {
		return this.capacity + "/" + this.period.toString().substring(2).toLowerCase(Locale.ROOT);
	}

}
