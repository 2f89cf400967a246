package dev.atrium.policy.auth;

import java.net.MalformedURLException;
import java.net.URL;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Builds the decoder of one issuer on Nimbus: algorithms pinned, {@code typ} checked,
 * keys from the issuer's JWKS only (never from {@code jwk}, {@code jku} or {@code x5u}
 * headers), cached, and refetched for an unknown {@code kid} at most once per 30 seconds;
 * when the JWKS cannot be fetched, tokens are refused. Tokens whose signature verified
 * are remembered when the issuer says so ({@link VerifiedTokenCache}); their claims are
 * checked on every request all the same.
 */
public final class IssuerJwtDecoders {

	/** At most one JWKS fetch per issuer in this interval, whatever the tokens say. */
	public static final long JWKS_MIN_REFETCH_INTERVAL_MS = 30_000;

	private static final int JWKS_CONNECT_TIMEOUT_MS = 2_000;

	private static final int JWKS_READ_TIMEOUT_MS = 2_000;

	private static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;

	private IssuerJwtDecoders() {
	}

	public static ReactiveJwtDecoder create(IssuerSpec spec, Clock clock) {
		return create(spec, jwkSource(spec), clock);
	}

	/**
	 * A decoder whose keys come from the given source: an issuer in the same process,
	 * such as Atrium's own STS.
	 */
	public static ReactiveJwtDecoder create(IssuerSpec spec, JWKSource<SecurityContext> keys, Clock clock) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		Set<JWSAlgorithm> algorithms = spec.algorithms()
			.stream()
			.map(JWSAlgorithm::parse)
			.collect(Collectors.toUnmodifiableSet());
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
		processor.setJWSTypeVerifier(typeVerifier(spec));
		// Claims are checked by IssuerClaimsValidator, on Atrium's clock.
		processor.setJWTClaimsSetVerifier(null);
		// Fetching keys blocks; it must never run on an event loop.
		NimbusReactiveJwtDecoder decoder = new NimbusReactiveJwtDecoder(
				(jwt) -> Mono.fromCallable(() -> process(processor, jwt, spec))
					.subscribeOn(Schedulers.boundedElastic()));
		IssuerClaimsValidator claims = new IssuerClaimsValidator(spec, clock);
		if (spec.verifiedTokens() == 0) {
			decoder.setJwtValidator(claims);
			return decoder;
		}
		// The cache runs the claim checks itself, on every token.
		decoder.setJwtValidator((jwt) -> OAuth2TokenValidatorResult.success());
		return new VerifiedTokenCache(decoder, claims, spec.verifiedTokens(), spec.verifiedTokenTtl(), clock);
	}

	private static JWTClaimsSet process(DefaultJWTProcessor<SecurityContext> processor, JWT jwt, IssuerSpec spec) {
		try {
			return processor.process(jwt, null);
		}
		catch (RateLimitReachedException ex) {
			// An unknown kid while the JWKS was fetched recently: the key is not the
			// issuer's.
			throw new BadJwtException("the token's signing key is unknown to issuer " + spec.issuer(), ex);
		}
		catch (KeySourceException ex) {
			// Fail closed, as a refused token rather than a server error.
			throw new BadJwtException("the signing keys of issuer " + spec.issuer() + " cannot be fetched", ex);
		}
		catch (BadJOSEException | JOSEException ex) {
			// Anything else Nimbus refuses is a bad token (401), never a server error
			// (500).
			throw new BadJwtException("the token is not validly signed by issuer " + spec.issuer(), ex);
		}
	}

	private static JWKSource<SecurityContext> jwkSource(IssuerSpec spec) {
		DefaultResourceRetriever retriever = new DefaultResourceRetriever(JWKS_CONNECT_TIMEOUT_MS, JWKS_READ_TIMEOUT_MS,
				JWKS_SIZE_LIMIT_BYTES);
		if (spec.type() == IssuerType.OIDC && spec.jwksUri() == null) {
			return new OidcDiscoveryJwkSource(spec.issuer(), retriever, (url) -> keysAt(url, spec, retriever));
		}
		try {
			return keysAt(spec.resolvedJwksUri().toURL(), spec, retriever);
		}
		catch (MalformedURLException ex) {
			throw new IllegalArgumentException("issuer '" + spec.name() + "' has an invalid JWKS URI", ex);
		}
	}

	private static JWKSource<SecurityContext> keysAt(URL jwks, IssuerSpec spec, DefaultResourceRetriever retriever) {
		long ttl = spec.jwksCacheTtl().toMillis();
		return JWKSourceBuilder.<SecurityContext>create(jwks, retriever)
			.cache(ttl, JWKS_CONNECT_TIMEOUT_MS + JWKS_READ_TIMEOUT_MS)
			.rateLimited(JWKS_MIN_REFETCH_INTERVAL_MS)
			.retrying(false)
			.outageTolerant(false)
			.build();
	}

	private static DefaultJOSEObjectTypeVerifier<SecurityContext> typeVerifier(IssuerSpec spec) {
		if (spec.requiredType() != null) {
			// RFC 9068 section 2.1: at+jwt, also written application/at+jwt.
			return new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(spec.requiredType()),
					new JOSEObjectType("application/" + spec.requiredType()));
		}
		return new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
				new JOSEObjectType("application/at+jwt"), null);
	}

}
