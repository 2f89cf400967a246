package dev.atrium.sts.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.atrium.sts.client.StsClient;
import dev.atrium.sts.client.StsClientAuthenticator;
import dev.atrium.sts.exchange.ExchangeResult;
import dev.atrium.sts.exchange.GrantObserver;
import dev.atrium.sts.exchange.StsError;
import dev.atrium.sts.exchange.TokenExchangeCommand;
import dev.atrium.sts.exchange.TokenExchangeProvider;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.TokenRevoker;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The STS over HTTP, mounted under its issuer's path: the token endpoint, revocation (RFC
 * 7009), the key set, and the metadata (RFC 8414). It converts requests for the provider
 * and writes its answers; it decides nothing.
 */
public final class StsEndpoints {

	private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED_VALUE;

	/** RFC 6749 section 3.2: these appear at most once. */
	private static final Set<String> SINGLE_VALUED = Set.of("grant_type", "subject_token", "subject_token_type",
			"actor_token", "actor_token_type", "requested_token_type", "scope", "client_id", "client_secret",
			"client_assertion", "client_assertion_type", "token", "token_type_hint");

	private final String issuer;

	private final String basePath;

	private final URI tokenEndpoint;

	private final URI revocationEndpoint;

	private final StsClientAuthenticator authenticator;

	private final TokenExchangeProvider provider;

	private final TokenRevoker revoker;

	private final StsKeyRing keys;

	private final GrantObserver observer;

	public StsEndpoints(String issuer, StsClientAuthenticator authenticator, TokenExchangeProvider provider,
			TokenRevoker revoker, StsKeyRing keys) {
		this(issuer, authenticator, provider, revoker, keys, GrantObserver.NONE);
	}

	public StsEndpoints(String issuer, StsClientAuthenticator authenticator, TokenExchangeProvider provider,
			TokenRevoker revoker, StsKeyRing keys, GrantObserver observer) {
		this.issuer = issuer;
		this.basePath = URI.create(issuer).getRawPath().replaceAll("/$", "");
		this.tokenEndpoint = tokenEndpoint(issuer);
		this.revocationEndpoint = URI.create(issuer.replaceAll("/$", "") + "/oauth2/revoke");
		this.authenticator = authenticator;
		this.provider = provider;
		this.revoker = revoker;
		this.keys = keys;
		this.observer = observer;
	}

	/** Where an STS with this issuer takes token requests. */
	public static URI tokenEndpoint(String issuer) {
		return URI.create(issuer.replaceAll("/$", "") + "/oauth2/token");
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.POST(this.basePath + "/oauth2/token", this::token)
			.POST(this.basePath + "/oauth2/revoke", this::revoke)
			.GET(this.basePath + "/jwks", this::jwks)
			// RFC 8414 section 3.1, and the suffix form some clients try.
			.GET("/.well-known/oauth-authorization-server" + this.basePath, this::metadata)
			.GET(this.basePath + "/.well-known/oauth-authorization-server", this::metadata)
			.build();
	}

	private Mono<ServerResponse> token(ServerRequest request) {
		return form(request, this.tokenEndpoint).flatMap((form) -> {
			String grantType = first(form.parameters(), "grant_type");
			if (form.error() != null) {
				this.observer.observe(request.attributes(), grantType, null, new ExchangeResult.Refused(form.error()));
				return error(form.error(), null);
			}
			StsClientAuthenticator.Authenticated client = this.authenticator.authenticate(form.authentication());
			if (client.error() != null) {
				this.observer.observe(request.attributes(), grantType, null,
						new ExchangeResult.Refused(client.error()));
				return error(client.error(), form.authentication());
			}
			return grant(client.client(), form.parameters()).doOnNext(
					(result) -> this.observer.observe(request.attributes(), grantType, client.client().id(), result))
				.flatMap((result) -> switch (result) {
					case ExchangeResult.Issued issued -> issued(issued);
					case ExchangeResult.Refused refused -> error(refused.error(), null);
				});
		});
	}

	private Mono<ExchangeResult> grant(StsClient client, Map<String, List<String>> parameters) {
		String grantType = first(parameters, "grant_type");
		if (grantType == null) {
			return refused(StsError.invalidRequest("grant_type is required"));
		}
		List<String> resources = parameters.getOrDefault("resource", List.of());
		for (String resource : resources) {
			if (!absoluteWithoutFragment(resource)) {
				return refused(StsError.invalidTarget("resource must be an absolute URI without a fragment"));
			}
		}
		if (GrantType.CLIENT_CREDENTIALS.getValue().equals(grantType)) {
			return Mono.just(this.provider.clientCredentials(client, first(parameters, "scope"), resources));
		}
		if (!TokenExchangeGrant.GRANT_TYPE.getValue().equals(grantType)) {
			return refused(StsError.unsupportedGrantType("grant_type " + grantType + " is not supported"));
		}
		return this.provider.exchange(new TokenExchangeCommand(client, first(parameters, "subject_token"),
				first(parameters, "subject_token_type"), first(parameters, "actor_token"),
				first(parameters, "actor_token_type"), first(parameters, "requested_token_type"),
				parameters.getOrDefault("audience", List.of()), resources, first(parameters, "scope")));
	}

	private Mono<ServerResponse> revoke(ServerRequest request) {
		return form(request, this.revocationEndpoint).flatMap((form) -> {
			if (form.error() != null) {
				return error(form.error(), null);
			}
			StsClientAuthenticator.Authenticated client = this.authenticator.authenticate(form.authentication());
			if (client.error() != null) {
				return error(client.error(), form.authentication());
			}
			return this.revoker.revoke(client.client(), first(form.parameters(), "token"))
				.flatMap((refusal) -> error(refusal, null))
				.switchIfEmpty(Mono.defer(() -> ServerResponse.ok().cacheControl(CacheControl.noStore()).build()));
		});
	}

	private Mono<ServerResponse> jwks(ServerRequest request) {
		// Short enough that a verifier sees a new key long before it signs.
		return ServerResponse.ok()
			.contentType(MediaType.parseMediaType("application/jwk-set+json"))
			.cacheControl(CacheControl.maxAge(java.time.Duration.ofMinutes(5)))
			.bodyValue(this.keys.publishedKeys().toString(true));
	}

	private Mono<ServerResponse> metadata(ServerRequest request) {
		AuthorizationServerMetadata metadata = new AuthorizationServerMetadata(new Issuer(this.issuer));
		metadata.setTokenEndpointURI(this.tokenEndpoint);
		metadata.setRevocationEndpointURI(this.revocationEndpoint);
		metadata.setJWKSetURI(URI.create(this.issuer.replaceAll("/$", "") + "/jwks"));
		metadata.setGrantTypes(List.of(TokenExchangeGrant.GRANT_TYPE, GrantType.CLIENT_CREDENTIALS));
		metadata.setTokenEndpointAuthMethods(StsClientAuthenticator.METHODS);
		metadata.setRevocationEndpointAuthMethods(StsClientAuthenticator.METHODS);
		List<JWSAlgorithm> algorithms = List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
		metadata.setTokenEndpointJWSAlgs(algorithms);
		metadata.setRevocationEndpointJWSAlgs(algorithms);
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(metadata.toJSONObject().toJSONString());
	}

	private Mono<Form> form(ServerRequest request, URI endpoint) {
		MediaType contentType = request.headers().contentType().orElse(null);
		if (contentType == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(contentType)) {
			return Mono.just(Form.refused(StsError.invalidRequest("the request must be " + FORM)));
		}
		return request.bodyToMono(String.class).defaultIfEmpty("").map((body) -> {
			Map<String, List<String>> parameters = URLUtils.parseParameters(body);
			for (String name : SINGLE_VALUED) {
				if (parameters.getOrDefault(name, List.of()).size() > 1) {
					return Form.refused(StsError.invalidRequest("parameter " + name + " appears more than once"));
				}
			}
			HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
			http.setHeader(HttpHeaders.CONTENT_TYPE, FORM);
			String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
			if (authorization != null) {
				http.setHeader(HttpHeaders.AUTHORIZATION, authorization);
			}
			http.setBody(body);
			try {
				return new Form(parameters, ClientAuthentication.parse(http), null);
			}
			catch (ParseException ex) {
				return Form.refused(StsError.invalidClient("malformed client authentication"));
			}
		});
	}

	private static Mono<ServerResponse> issued(ExchangeResult.Issued issued) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", issued.accessToken());
		body.put("issued_token_type", issued.issuedTokenType());
		body.put("token_type", "Bearer");
		body.put("expires_in", issued.expiresIn());
		body.put("scope", String.join(" ", issued.scopes()));
		// RFC 6749 section 5.1: tokens are never cached.
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.header("Pragma", "no-cache")
			.bodyValue(JSONObjectUtils.toJSONString(body));
	}

	private static Mono<ServerResponse> error(StsError error, ClientAuthentication authentication) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error.code());
		body.put("error_description", error.description());
		ServerResponse.BodyBuilder response = ServerResponse.status(error.status())
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore());
		// RFC 6749 section 5.2: a failed Basic authentication is challenged.
		if (error.status() == 401 && (authentication == null
				|| authentication.getMethod() == ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
			response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"atrium-sts\"");
		}
		return response.bodyValue(JSONObjectUtils.toJSONString(body));
	}

	/** RFC 8707 section 2: a resource is an absolute URI without a fragment. */
	private static boolean absoluteWithoutFragment(String resource) {
		try {
			URI uri = new URI(resource);
			return uri.isAbsolute() && uri.getRawFragment() == null;
		}
		catch (java.net.URISyntaxException ex) {
			return false;
		}
	}

	private static Mono<ExchangeResult> refused(StsError error) {
		return Mono.just(new ExchangeResult.Refused(error));
	}

	private static String first(Map<String, List<String>> parameters, String name) {
		List<String> values = parameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	private record Form(Map<String, List<String>> parameters, ClientAuthentication authentication, StsError error) {

		static Form refused(StsError error) {
			return new Form(Map.of(), null, error);
		}

	}

}
