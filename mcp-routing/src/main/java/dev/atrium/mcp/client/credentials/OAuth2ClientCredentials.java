package dev.atrium.mcp.client.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import dev.atrium.mcp.client.credentials.TokenEndpointClient.IssuedToken;
import dev.atrium.mcp.client.credentials.TokenEndpointClient.TokenRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.HttpHeaders;

/**
 * A bearer token from an OAuth2 authorization server (e.g. Amazon Cognito) with the
 * client credentials grant. The token is kept until {@code skew} before it expires and
 * then fetched again once for all callers; a failed fetch is not kept. When the server
 * refuses the client, the secret is read again once, in case it was rotated.
 */
public final class OAuth2ClientCredentials implements OutboundCredentials {

	private static final Logger logger = LoggerFactory.getLogger(OAuth2ClientCredentials.class);

	/** How long a token without {@code expires_in} is kept. */
	static final Duration UNDATED_TOKEN_REUSE = Duration.ofMinutes(1);

	private final ClientRegistration registration;

	private final TokenEndpointClient tokenEndpoint;

	private final Duration skew;

	private final SingleFlightCache<IssuedToken> tokens;

	/**
	 * @param registration the client and what it asks for
	 * @param httpClient carries the token requests
	 * @param skew how long before its expiry a token is replaced
	 * @param timeout the longest wait for the token endpoint
	 * @param clock the clock expiries are read on
	 */
	public OAuth2ClientCredentials(ClientRegistration registration, HttpClient httpClient, Duration skew,
			Duration timeout, Clock clock) {
		this.registration = Objects.requireNonNull(registration, "registration");
		this.skew = requireNotNegative(skew, "skew");
		this.tokenEndpoint = new TokenEndpointClient(registration, httpClient, requirePositive(timeout, "timeout"),
				clock);
		this.tokens = new SingleFlightCache<>(this::fetch, this::replaceAt, clock);
	}

	@Override
	public Mono<Map<String, String>> headers(OutgoingRequest request) {
		return this.tokens.get().map((token) -> Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token.value()));
	}

	private Mono<IssuedToken> fetch() {
		SecretSource secret = this.registration.clientSecret();
		return secret.value()
			.flatMap(this.tokenEndpoint::request)
			.onErrorResume(TokenRefusedException.class,
					(ex) -> ex.secretRefused() ? secret.reread().flatMap((fresh) -> {
						logger.info("{}; trying once more with the secret read again from {}", ex.getMessage(),
								secret.description());
						return this.tokenEndpoint.request(fresh);
					}) : Mono.error(ex));
	}

	/**
	 * The token is replaced {@code skew} before it expires; one that lives no longer than
	 * the skew is kept half its life.
	 */
	private Instant replaceAt(IssuedToken token) {
		if (token.lifetime() == null) {
			return token.received().plus(UNDATED_TOKEN_REUSE);
		}
		Duration kept = token.lifetime().minus(this.skew);
		if (kept.isNegative() || kept.isZero()) {
			kept = token.lifetime().dividedBy(2);
		}
		return token.received().plus(kept);
	}

	private static Duration requireNotNegative(Duration value, String name) {
		Objects.requireNonNull(value, name);
		if (value.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative, was " + value);
		}
		return value;
	}

	private static Duration requirePositive(Duration value, String name) {
		requireNotNegative(value, name);
		if (value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
		return value;
	}

	@Override
	public String toString() {
		return "OAuth2ClientCredentials[tokenEndpoint=" + this.registration.tokenEndpoint() + ", clientId="
				+ this.registration.clientId() + "]";
	}

}
