package dev.atrium.mcp.client.credentials;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A client Atrium is at an OAuth2 authorization server, for the client credentials grant
 * (RFC 6749 §4.4).
 *
 * @param tokenEndpoint the authorization server's token endpoint
 * @param clientId the client's id
 * @param clientSecret the client's secret
 * @param authentication how the client authenticates at the token endpoint
 * @param scopes the scopes asked for; empty for the server's default
 * @param resources the resource indicators (RFC 8707) the token is asked for; empty for
 * none
 */
public record ClientRegistration(URI tokenEndpoint, String clientId, SecretSource clientSecret,
		ClientAuthentication authentication, List<String> scopes, List<URI> resources) {

	public ClientRegistration {
		Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
		if (clientId == null || clientId.isBlank()) {
			throw new IllegalArgumentException("clientId must not be blank, was '" + clientId + "'");
		}
		Objects.requireNonNull(clientSecret, "clientSecret");
		authentication = (authentication != null) ? authentication : ClientAuthentication.CLIENT_SECRET_BASIC;
		scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
		resources = (resources != null) ? List.copyOf(resources) : List.of();
		for (URI resource : resources) {
			// RFC 8707 §2: an absolute URI without a fragment.
			if (!resource.isAbsolute() || resource.getFragment() != null) {
				throw new IllegalArgumentException(
						"a resource must be an absolute URI without a fragment, was '" + resource + "'");
			}
		}
	}

	/** How a client proves itself at the token endpoint (RFC 6749 §2.3.1). */
	public enum ClientAuthentication {

		/** The id and secret in an {@code Authorization: Basic} header. */
		CLIENT_SECRET_BASIC,

		/** The id and secret as form parameters of the body. */
		CLIENT_SECRET_POST

	}

}
