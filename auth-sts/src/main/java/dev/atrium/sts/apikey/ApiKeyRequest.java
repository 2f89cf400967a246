package dev.atrium.sts.apikey;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an administrator asks a JWT API key for (the seed's {@code api_key_jwt}).
 *
 * @param clientId the third party's client id, the key's subject
 * @param tenant its tenant, or {@code null}
 * @param scopes what the key may do
 * @param rateTier its rate tier, e.g. {@code standard} or {@code premium}
 * @param lifetime how long it lives, or {@code null} for the default
 */
public record ApiKeyRequest(String clientId, String tenant, List<String> scopes, String rateTier, Duration lifetime) {

	public ApiKeyRequest {
		Objects.requireNonNull(clientId, "clientId");
		scopes = List.copyOf(scopes);
	}

}
