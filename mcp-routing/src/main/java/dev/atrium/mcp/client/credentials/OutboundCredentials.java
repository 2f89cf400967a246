package dev.atrium.mcp.client.credentials;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * How Atrium proves its own identity to a target, for every request it sends there:
 * headers computed from the request as it will be sent. These headers override any
 * configured header of the same name. Who the caller is travels separately (context
 * headers or an STS token).
 */
public sealed interface OutboundCredentials
		permits NoCredentials, ApiKeyCredentials, OAuth2ClientCredentials, SigV4Credentials {

	/** No credentials: the target is reached as it is. */
	OutboundCredentials NONE = new NoCredentials();

	/**
	 * The headers to add to one request; fails with {@link OutboundCredentialsException}
	 * when they cannot be had.
	 */
	Mono<Map<String, String>> headers(OutgoingRequest request);

	/** Whether the credentials sign what is sent, so that the body must be known. */
	default boolean signsBody() {
		return false;
	}

}
