package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * Asks a token endpoint for an access token with the client credentials grant (RFC 6749
 * §4.4), without blocking: Nimbus writes the request and reads the answer, Reactor Netty
 * carries them.
 */
final class TokenEndpointClient {

	/** The most of a token endpoint's answer read; a token answer is small. */
	private static final int MAX_ANSWER_CHARS = 64 * 1024;

	private final ClientRegistration registration;

	private final HttpClient httpClient;

	private final Duration timeout;

	private final Clock clock;

	TokenEndpointClient(ClientRegistration registration, HttpClient httpClient, Duration timeout, Clock clock) {
		this.registration = registration;
		this.httpClient = httpClient;
		this.timeout = timeout;
		this.clock = clock;
	}

	/** An access token obtained with this client secret. */
	Mono<IssuedToken> request(String clientSecret) {
		HTTPRequest request = tokenRequest(clientSecret).toHTTPRequest();
		String body = request.getBody();
		Map<String, List<String>> headers = request.getHeaderMap();
		URI endpoint = this.registration.tokenEndpoint();
		return this.httpClient.headers((http) -> headers.forEach(http::set))
			.post()
			.uri(endpoint)
			.send(ByteBufFlux.fromString(Mono.just(body), StandardCharsets.UTF_8, ByteBufAllocator.DEFAULT))
			.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> answer(response.status().code(),
						response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE), text)))
			.timeout(this.timeout)
			.onErrorMap(TimeoutException.class,
					(ex) -> new OutboundCredentialsException(
							"Token endpoint " + endpoint + " did not answer within " + this.timeout.toMillis() + " ms"))
			.onErrorMap((ex) -> !(ex instanceof OutboundCredentialsException),
					(ex) -> new OutboundCredentialsException(
							"Token endpoint " + endpoint + " cannot be reached: " + ex.getMessage(), ex))
			.flatMap(this::token);
	}

	private TokenRequest tokenRequest(String clientSecret) {
		ClientID id = new ClientID(this.registration.clientId());
		Secret secret = new Secret(clientSecret);
		com.nimbusds.oauth2.sdk.auth.ClientAuthentication authentication = switch (this.registration.authentication()) {
			case CLIENT_SECRET_BASIC -> new ClientSecretBasic(id, secret);
			case CLIENT_SECRET_POST -> new ClientSecretPost(id, secret);
		};
		TokenRequest.Builder builder = new TokenRequest.Builder(this.registration.tokenEndpoint(), authentication,
				new ClientCredentialsGrant());
		if (!this.registration.scopes().isEmpty()) {
			builder.scope(new Scope(this.registration.scopes().toArray(String[]::new)));
		}
		if (!this.registration.resources().isEmpty()) {
			builder.resources(this.registration.resources().toArray(URI[]::new));
		}
		return builder.build();
	}

	private static HTTPResponse answer(int status, String contentType, String text) {
		HTTPResponse response = new HTTPResponse(status);
		if (contentType != null) {
			response.setHeader("Content-Type", contentType);
		}
		response.setBody((text.length() > MAX_ANSWER_CHARS) ? text.substring(0, MAX_ANSWER_CHARS) : text);
		return response;
	}

	private Mono<IssuedToken> token(HTTPResponse answer) {
		Instant received = this.clock.instant();
		URI endpoint = this.registration.tokenEndpoint();
		TokenResponse response;
		try {
			response = TokenResponse.parse(answer);
		}
		catch (ParseException ex) {
			return Mono.error(new OutboundCredentialsException("Token endpoint " + endpoint + " answered HTTP "
					+ answer.getStatusCode() + " with no token response: " + ex.getMessage()));
		}
		if (!response.indicatesSuccess()) {
			ErrorObject error = response.toErrorResponse().getErrorObject();
			// RFC 6749 §5.2: invalid_client, with 401 when the client used a header.
			boolean secretRefused = answer.getStatusCode() == 401
					|| OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode());
			String description = (error.getDescription() != null) ? ": " + error.getDescription() : "";
			return Mono
				.error(new TokenRefusedException(
						"Token endpoint " + endpoint + " refused client '" + this.registration.clientId()
								+ "' with HTTP " + answer.getStatusCode() + " " + error.getCode() + description,
						secretRefused));
		}
		AccessToken token = ((AccessTokenResponse) response).getTokens().getAccessToken();
		Duration lifetime = (token.getLifetime() > 0) ? Duration.ofSeconds(token.getLifetime()) : null;
		return Mono.just(new IssuedToken(token.getValue(), received, lifetime));
	}

	/**
	 * An access token and when it was received.
	 *
	 * @param value the token
	 * @param received when the answer came
	 * @param lifetime its {@code expires_in}; null when the server did not say
	 */
	record IssuedToken(String value, Instant received, Duration lifetime) {

		@Override
		public String toString() {
			return "IssuedToken[received=" + this.received + ", lifetime=" + this.lifetime + "]";
		}

	}

	/** The token endpoint answered with an OAuth2 error. */
	static final class TokenRefusedException extends OutboundCredentialsException {

		private final boolean secretRefused;

		TokenRefusedException(String message, boolean secretRefused) {
			super(message);
			this.secretRefused = secretRefused;
		}

		/** Whether the client's secret was refused, so that a newer one may do. */
		boolean secretRefused() {
			return this.secretRefused;
		}

	}

}
