package dev.atrium.sts.exchange;

import java.util.List;
import java.util.Objects;

import dev.atrium.sts.client.StsClient;

/**
 * A token exchange request (RFC 8693 section 2.1) from an authenticated client, its
 * tokens not yet verified.
 *
 * @param client the authenticated client
 * @param subjectToken the token of the party on whose behalf the request is made
 * @param subjectTokenType its type URI
 * @param actorToken the token of the acting party, or {@code null} (impersonation)
 * @param actorTokenType its type URI, or {@code null}
 * @param requestedTokenType the type asked for, or {@code null}
 * @param audiences the {@code audience} parameters
 * @param resources the {@code resource} parameters (RFC 8707)
 * @param scope the {@code scope} parameter, or {@code null}
 */
public record TokenExchangeCommand(StsClient client, String subjectToken, String subjectTokenType, String actorToken,
		String actorTokenType, String requestedTokenType, List<String> audiences, List<String> resources,
		String scope) {

	public TokenExchangeCommand {
		Objects.requireNonNull(client, "client");
		audiences = List.copyOf(audiences);
		resources = List.copyOf(resources);
	}

	public TokenExchangeCommand withScope(String scope) {
		return new TokenExchangeCommand(this.client, this.subjectToken, this.subjectTokenType, this.actorToken,
				this.actorTokenType, this.requestedTokenType, this.audiences, this.resources, scope);
	}

	public TokenExchangeCommand withTargets(List<String> audiences, List<String> resources) {
		return new TokenExchangeCommand(this.client, this.subjectToken, this.subjectTokenType, this.actorToken,
				this.actorTokenType, this.requestedTokenType, audiences, resources, this.scope);
	}

	@Override
	public String toString() {
		// Never the tokens themselves.
		return "TokenExchangeCommand[client=" + this.client.id() + ", subjectTokenType=" + this.subjectTokenType
				+ ", actor=" + (this.actorToken != null) + ", audiences=" + this.audiences + ", resources="
				+ this.resources + ", scope=" + this.scope + "]";
	}

}
