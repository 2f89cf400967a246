package dev.atrium.sts.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The STS's signing keys: a new key every rotation period, derived from the shared secret
 * (so all replicas agree). The key of the next period is published ahead of use, so that
 * verifiers that cached the key set know it before the first token it signs; a retired
 * key stays published until the last token it signed has expired.
 */
public final class StsKeyRing {

	/** The keys of the STS's access tokens and of the signed context. */
	public static final String ACCESS_TOKENS = "es256-signing-key";

	/** The keys of JWT API keys, which live for months. */
	public static final String API_KEYS = "api-key-signing-key";

	private final DerivedSigningKeys keys;

	private final Duration rotation;

	private final Duration retention;

	private final Clock clock;

	private final Map<Long, ECKey> derived = new ConcurrentHashMap<>();

	/** The set last published; it changes only when the window of periods moves. */
	private volatile Published published;

	/**
	 * @param secret the shared secret, at least 32 bytes
	 * @param rotation how long each key signs
	 * @param retention how long a retired key stays published: the longest lifetime of a
	 * token plus the verifiers' clock skew
	 * @param clock the time
	 */
	public StsKeyRing(byte[] secret, Duration rotation, Duration retention, Clock clock) {
		this(secret, ACCESS_TOKENS, rotation, retention, clock);
	}

	/**
	 * @param secret the shared secret, at least 32 bytes
	 * @param purpose what the keys sign: {@link #ACCESS_TOKENS} or {@link #API_KEYS}
	 * @param rotation how long each key signs
	 * @param retention how long a retired key stays published
	 * @param clock the time
	 */
	public StsKeyRing(byte[] secret, String purpose, Duration rotation, Duration retention, Clock clock) {
		if (rotation.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException("key rotation must be at least 1m, was " + rotation);
		}
		if (retention.isNegative()) {
			throw new IllegalArgumentException("key retention must not be negative, was " + retention);
		}
		this.keys = new DerivedSigningKeys(secret, purpose);
		this.rotation = rotation;
		this.retention = retention;
		this.clock = clock;
	}

	/** The key that signs now. */
	public ECKey signingKey() {
		return key(period(this.clock.instant()));
	}

	/** The public keys verifiers need now: retired ones still in use, current, next. */
	public JWKSet publishedKeys() {
		Instant now = this.clock.instant();
		long current = period(now);
		long oldest = period(now.minus(this.retention));
		Published last = this.published;
		if (last != null && last.current() == current && last.oldest() == oldest) {
			// Every token verification asks: the set is built once per window.
			return last.keys();
		}
		List<JWK> keys = new ArrayList<>();
		for (long period = current + 1; period >= oldest; period--) {
			keys.add(key(period).toPublicJWK());
		}
		// Periods are never garbage: forget the ones no longer published.
		this.derived.keySet().removeIf((period) -> period < oldest || period > current + 1);
		JWKSet set = new JWKSet(keys);
		this.published = new Published(current, oldest, set);
		return set;
	}

	/** The published keys as Nimbus's key source, for verifying in the same process. */
	public JWKSource<SecurityContext> jwkSource() {
		return (selector, context) -> selector.select(publishedKeys());
	}

	private long period(Instant instant) {
		return Math.floorDiv(instant.toEpochMilli(), this.rotation.toMillis());
	}

	private ECKey key(long period) {
		return this.derived.computeIfAbsent(period, this.keys::derive);
	}

	private record Published(long current, long oldest, JWKSet keys) {

	}

}
