package dev.atrium.sts.context;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.atrium.sts.token.TokenMinter;

/**
 * The headers that tell a target who is calling, in the seed's names; a target that must
 * trust them verifies {@code X-Atrium-Context}, a JWS by the STS's keys for that target
 * alone, which carries the same context.
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

	private final String issuer;

	private final TokenMinter signer;

	private final Clock clock;

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
		headers.put(REQUEST_ID, requestId);
		headers.put(CORRELATION_ID, correlationId);
		headers.put(SIGNED, sign(target, caller, requestId, correlationId));
		return headers;
	}

	private String sign(String target, CallerContext caller, String requestId, String correlationId) {
		Instant now = this.clock.instant();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.audience(target)
			.subject(caller.subject())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(SIGNED_LIFETIME)))
			.claim("request_id", requestId)
			.claim("correlation_id", correlationId)
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

}
