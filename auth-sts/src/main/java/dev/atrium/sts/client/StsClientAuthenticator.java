package dev.atrium.sts.client;

import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientAuthenticationVerifier;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientCredentialsSelector;
import com.nimbusds.oauth2.sdk.auth.verifier.Context;
import com.nimbusds.oauth2.sdk.auth.verifier.ExpendedJTIChecker;
import com.nimbusds.oauth2.sdk.auth.verifier.InvalidClientException;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.atrium.sts.exchange.StsError;

/**
 * Authenticates STS clients with oauth2-oidc-sdk's verifier: {@code client_secret_basic},
 * {@code client_secret_post}, or {@code private_key_jwt} (RFC 7523 section 3) whose
 * assertion names the token endpoint or the issuer as audience and is used once.
 */
public final class StsClientAuthenticator {

	/** The methods this STS advertises and accepts. */
	public static final List<ClientAuthenticationMethod> METHODS = List.of(
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
			ClientAuthenticationMethod.PRIVATE_KEY_JWT);

	private final Map<String, StsClient> clients;

	private final ClientAuthenticationVerifier<Void> verifier;

	public StsClientAuthenticator(List<StsClient> clients, String issuer, URI tokenEndpoint, Clock clock) {
		Map<String, StsClient> byId = new ConcurrentHashMap<>();
		clients.forEach((client) -> byId.put(client.id(), client));
		this.clients = Map.copyOf(byId);
		Set<Audience> audiences = Set.of(new Audience(issuer), new Audience(tokenEndpoint.toString()));
		this.verifier = new ClientAuthenticationVerifier<>(new Credentials(), audiences, new UsedAssertions(clock));
	}

	/** The authenticated client, or an {@code invalid_client} refusal. */
	public Authenticated authenticate(ClientAuthentication authentication) {
		if (authentication == null) {
			return new Authenticated(null, StsError.invalidClient("client authentication is required"));
		}
		if (!METHODS.contains(authentication.getMethod())) {
			return new Authenticated(null, StsError
				.invalidClient("client authentication method " + authentication.getMethod() + " is not supported"));
		}
		StsClient client = this.clients.get(authentication.getClientID().getValue());
		try {
			this.verifier.verify(authentication, null, null);
			return new Authenticated(client, null);
		}
		catch (InvalidClientException | JOSEException ex) {
			// One answer whatever failed, so that client ids cannot be probed.
			return new Authenticated(null, StsError.invalidClient("client authentication failed"));
		}
	}

	/**
	 * The outcome of client authentication.
	 *
	 * @param client the client, when authenticated
	 * @param error the refusal, otherwise
	 */
	public record Authenticated(StsClient client, StsError error) {

	}

	private final class Credentials implements ClientCredentialsSelector<Void> {

		@Override
		public List<Secret> selectClientSecrets(ClientID clientId, ClientAuthenticationMethod method,
				Context<Void> context) throws InvalidClientException {
			StsClient client = StsClientAuthenticator.this.clients.get(clientId.getValue());
			if (client == null) {
				throw InvalidClientException.BAD_ID;
			}
			if (client.secret() == null) {
				throw InvalidClientException.NO_REGISTERED_SECRET;
			}
			return List.of(new Secret(client.secret()));
		}

		@Override
		public List<? extends PublicKey> selectPublicKeys(ClientID clientId, ClientAuthenticationMethod method,
				JWSHeader header, boolean forceRefresh, Context<Void> context) throws InvalidClientException {
			StsClient client = StsClientAuthenticator.this.clients.get(clientId.getValue());
			if (client == null) {
				throw InvalidClientException.BAD_ID;
			}
			if (client.keys() == null) {
				throw InvalidClientException.NO_REGISTERED_JWK_SET;
			}
			List<PublicKey> keys = new ArrayList<>();
			for (JWK jwk : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(client.keys())) {
				if (jwk instanceof AsymmetricJWK asymmetric) {
					try {
						keys.add(asymmetric.toPublicKey());
					}
					catch (JOSEException ex) {
						throw InvalidClientException.NO_MATCHING_JWK;
					}
				}
			}
			return keys;
		}

	}

	/** Each client assertion is accepted once (RFC 7523 section 3, item 7). */
	private static final class UsedAssertions implements ExpendedJTIChecker<Void> {

		private final Map<String, Instant> used = new ConcurrentHashMap<>();

		private final Clock clock;

		UsedAssertions(Clock clock) {
			this.clock = clock;
		}

		@Override
		public boolean isExpended(JWTID jti, ClientID clientId, ClientAuthenticationMethod method,
				Context<Void> context) {
			return this.used.containsKey(clientId.getValue() + " " + jti.getValue());
		}

		@Override
		public void markExpended(JWTID jti, Date expiry, ClientID clientId, ClientAuthenticationMethod method,
				Context<Void> context) {
			Instant now = this.clock.instant();
			this.used.values().removeIf((until) -> !now.isBefore(until));
			this.used.put(clientId.getValue() + " " + jti.getValue(),
					(expiry != null) ? expiry.toInstant() : now.plusSeconds(600));
		}

	}

}
