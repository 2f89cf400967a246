package dev.atrium.sts.context;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.atrium.sts.token.TokenMinter;

/**
 * The headers that tell a target who is calling, in the seed's names; a target that must
 * trust them verifies {@code X-Atrium-Context}, a JWS by the STS's keys for that target
 * alone, which carries the same context.
 * <p>
 * The caller's headers, the signed one included, are made once per caller and target and
 * reused for half the signature's lifetime (ADR 20): an ECDSA signature per request was
 * the largest single computation on Atrium's path. The request and correlation ids, which
 * change with every request, therefore travel unsigned.
 */
public final class ContextHeaders {

	public static final String TENANT = "X-Tenant-ID";

	public static final String USER = "X-User-Context";

	public static final String ACTOR = "X-Actor-Context";

	public static final String DELEGATION_CHAIN = "X-Delegation-Chain";

	public static final String BUSINESS = "X-Business-Context";

	public static final String REQUEST_ID = "X-Request-ID";

	public static final String CORRELATION_ID = "X-Correlation-ID";

	public static final String SIGNED = "X-Atrium-Context";

	/**
	 * The {@code typ} of the signed context, so it is never taken for an access token.
	 */
	public static final JOSEObjectType SIGNED_TYPE = new JOSEObjectType("atrium-context+jwt");

	/** Every header Atrium asserts: a client's copies are dropped before any target. */
	public static final List<String> ASSERTED = List.of(TENANT, USER, ACTOR, DELEGATION_CHAIN, BUSINESS, SIGNED);

	private static final Duration SIGNED_LIFETIME = Duration.ofSeconds(60);

	/** A target always gets a signed context with at least this much life left. */
	private static final Duration REUSED_FOR = SIGNED_LIFETIME.dividedBy(2);

	private static final int MAX_CALLERS = 10_000;

	private final String issuer;

	private final TokenMinter signer;

	private final Clock clock;

	private final Cache<Key, Made> made = Caffeine.newBuilder()
		.maximumSize(MAX_CALLERS)
		.expireAfterWrite(REUSED_FOR)
		.build();

	/**
	 * @param issuer the {@code iss} of the signed context: the STS's issuer, whose key
	 * set verifies it
	 * @param signer signs with the STS's keys and the context {@code typ}
	 * @param clock the time
	 */
	public ContextHeaders(String issuer, TokenMinter signer, Clock clock) {
		this.issuer = issuer;
		this.signer = signer;
		this.clock = clock;
	}

	/** The headers for one request to one target. */
	public Map<String, String> forTarget(String target, CallerContext caller, String requestId, String correlationId) {
		Map<String, String> headers = new LinkedHashMap<>(callerHeaders(target, caller));
		headers.put(REQUEST_ID, requestId);
		headers.put(CORRELATION_ID, correlationId);
		return headers;
	}

	/**
	 * The caller's headers for the target, made again once half the signature's life is
	 * gone (the injected clock decides, so that tests can move time).
	 */
	private Map<String, String> callerHeaders(String target, CallerContext caller) {
		Key key = new Key(target, caller);
		Instant now = this.clock.instant();
		Made known = this.made.getIfPresent(key);
		if (known != null && now.isBefore(known.at().plus(REUSED_FOR))) {
			return known.headers();
		}
		Made fresh = new Made(make(target, caller, now), now);
		this.made.put(key, fresh);
		return fresh.headers();
	}

	private Map<String, String> make(String target, CallerContext caller, Instant now) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (caller.tenantId() != null) {
			headers.put(TENANT, caller.tenantId());
		}
		headers.put(USER, encode(caller.user()));
		if (caller.actor() != null) {
			headers.put(ACTOR, encode(caller.actor()));
		}
		if (!caller.delegationChain().isEmpty()) {
			headers.put(DELEGATION_CHAIN, encode(caller.delegationChain()));
		}
		if (caller.business() != null) {
			headers.put(BUSINESS, encode(caller.business()));
		}
		headers.put(SIGNED, sign(target, caller, now));
		return Collections.unmodifiableMap(headers);
	}

	private String sign(String target, CallerContext caller, Instant now) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.audience(target)
			.subject(caller.subject())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(SIGNED_LIFETIME)))
			.claim("tenant_id", caller.tenantId())
			.claim("user_context", caller.user());
		if (caller.actor() != null) {
			claims.claim("act", caller.actor());
		}
		if (!caller.delegationChain().isEmpty()) {
			claims.claim("delegation_chain", caller.delegationChain());
		}
		if (caller.business() != null) {
			claims.claim("business_context", caller.business());
		}
		return this.signer.mint(claims.build());
	}

	/** Base64url of the JSON, as the seed's examples carry them. */
	private static String encode(Object value) {
		String json = (value instanceof Map<?, ?> map) ? JSONObjectUtils.toJSONString(asObject(map))
				: net.minidev.json.JSONValue.toJSONString(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> asObject(Map<?, ?> map) {
		return (Map<String, ?>) map;
	}

	private record Key(String target, CallerContext caller) {

	}

	private record Made(Map<String, String> headers, Instant at) {

	}

}
