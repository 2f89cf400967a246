package dev.atrium.policy.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;

/**
 * The keys of an OpenID Connect issuer found through its discovery document
 * ({@code {issuer}/.well-known/openid-configuration}, OpenID Connect Discovery 1.0
 * section 4): read on first use, its {@code issuer} checked against the configured one
 * (section 4.3), then its {@code jwks_uri} serves the keys. A failed discovery is tried
 * again on the next token; meanwhile tokens are refused.
 */
final class OidcDiscoveryJwkSource implements JWKSource<SecurityContext> {

	private final String issuer;

	private final ResourceRetriever retriever;

	private final Function<URL, JWKSource<SecurityContext>> keysAt;

	private volatile JWKSource<SecurityContext> discovered;

	/**
	 * @param issuer the exact issuer
	 * @param retriever fetches the discovery document, with timeouts and a size limit
	 * @param keysAt the key source for a discovered JWKS URL
	 */
	OidcDiscoveryJwkSource(String issuer, ResourceRetriever retriever,
			Function<URL, JWKSource<SecurityContext>> keysAt) {
		this.issuer = issuer;
		this.retriever = retriever;
		this.keysAt = keysAt;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
		JWKSource<SecurityContext> keys = this.discovered;
		if (keys == null) {
			keys = discover();
		}
		return keys.get(selector, context);
	}

	private synchronized JWKSource<SecurityContext> discover() throws KeySourceException {
		if (this.discovered != null) {
			return this.discovered;
		}
		String base = this.issuer.endsWith("/") ? this.issuer.substring(0, this.issuer.length() - 1) : this.issuer;
		URI location = URI.create(base + "/.well-known/openid-configuration");
		try {
			Map<String, Object> metadata = JSONObjectUtils
				.parse(this.retriever.retrieveResource(location.toURL()).getContent());
			if (!this.issuer.equals(metadata.get("issuer"))) {
				throw new KeySourceException("the discovery document at " + location + " names issuer "
						+ metadata.get("issuer") + ", not " + this.issuer);
			}
			Object jwksUri = metadata.get("jwks_uri");
			if (!(jwksUri instanceof String text) || !text.startsWith("http")) {
				throw new KeySourceException("the discovery document at " + location + " has no jwks_uri");
			}
			this.discovered = this.keysAt.apply(URI.create(text).toURL());
			return this.discovered;
		}
		catch (IOException | ParseException | IllegalArgumentException ex) {
			throw new KeySourceException("cannot read the discovery document at " + location + ": " + ex, ex);
		}
	}

}
