package dev.atrium.sts.web;

import java.security.Principal;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.atrium.sts.apikey.ApiKeyRequest;
import dev.atrium.sts.apikey.ApiKeys;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The administration of JWT API keys, under {@code /admin/api-keys}: issue, rotate,
 * revoke. Who may call it (the {@code gateway:admin} scope) is decided in front of it.
 */
public final class ApiKeyAdminEndpoints {

	public static final String PATH = "/admin/api-keys";

	private final ApiKeys keys;

	private final ChangeObserver observer;

	public ApiKeyAdminEndpoints(ApiKeys keys) {
		this(keys, ChangeObserver.NONE);
	}

	public ApiKeyAdminEndpoints(ApiKeys keys, ChangeObserver observer) {
		this.keys = keys;
		this.observer = observer;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.POST(PATH, this::issue)
			.POST(PATH + "/rotate", this::rotate)
			.POST(PATH + "/revoke", this::revoke)
			.build();
	}

	private Mono<ServerResponse> issue(ServerRequest request) {
		return withJson(request, (body) -> {
			String clientId = JSONObjectUtils.getString(body, "client_id");
			if (clientId == null) {
				return invalid("client_id is required");
			}
			String[] scopes = JSONObjectUtils.getStringArray(body, "scopes");
			ApiKeys.Result result = this.keys.issue(new ApiKeyRequest(clientId,
					JSONObjectUtils.getString(body, "tenant"), (scopes != null) ? List.of(scopes) : List.of(),
					JSONObjectUtils.getString(body, "rate_tier"), lifetime(body)));
			return observed(request, "issue", clientId, Mono.just(result)).flatMap(ApiKeyAdminEndpoints::answer);
		});
	}

	private Mono<ServerResponse> rotate(ServerRequest request) {
		return withJson(request,
				(body) -> observed(request, "rotate", keyId(body),
						this.keys.rotate(JSONObjectUtils.getString(body, "api_key"), lifetime(body)))
					.flatMap(ApiKeyAdminEndpoints::answer));
	}

	private Mono<ServerResponse> revoke(ServerRequest request) {
		return withJson(request,
				(body) -> observed(request, "revoke", keyId(body), this.keys
					.revoke(JSONObjectUtils.getString(body, "api_key"), JSONObjectUtils.getString(body, "jti")))
					.flatMap(ApiKeyAdminEndpoints::answer));
	}

	/** The id of the key a request names, never the key: for the audit trail. */
	private static String keyId(Map<String, Object> body) throws ParseException {
		String jti = JSONObjectUtils.getString(body, "jti");
		String key = JSONObjectUtils.getString(body, "api_key");
		if (jti != null || key == null) {
			return jti;
		}
		try {
			return SignedJWT.parse(key).getJWTClaimsSet().getJWTID();
		}
		catch (ParseException ex) {
			return null;
		}
	}

	private Mono<ApiKeys.Result> observed(ServerRequest request, String action, String subject,
			Mono<ApiKeys.Result> result) {
		return result.flatMap((decided) -> request.principal()
			.map(Principal::getName)
			.defaultIfEmpty("unknown")
			.doOnNext((admin) -> this.observer.changed(request.attributes(), action, admin, subject, decided))
			.thenReturn(decided));
	}

	/**
	 * Told of every change an administrator asked for, made or refused: for the audit
	 * trail. Must never record the key itself.
	 */
	@FunctionalInterface
	public interface ChangeObserver {

		ChangeObserver NONE = (attributes, action, admin, subject, result) -> {
		};

		/**
		 * @param attributes the HTTP exchange's attributes (the request id, for one)
		 * @param action issue, rotate or revoke
		 * @param admin who asked (the subject of the admin's token)
		 * @param subject the client a new key is for, or the id ({@code jti}) of the key
		 * rotated or revoked
		 * @param result what was done
		 */
		void changed(Map<String, Object> attributes, String action, String admin, String subject,
				ApiKeys.Result result);

	}

	private static Mono<ServerResponse> answer(ApiKeys.Result result) {
		if (result.refusal() != null) {
			return invalid(result.refusal());
		}
		if (result.issued() == null) {
			return ServerResponse.noContent().build();
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("api_key", result.issued().apiKey());
		body.put("token_type", "Bearer");
		body.put("jti", result.issued().jti());
		body.put("expires_at", result.issued().expiresAt().toString());
		return ServerResponse.status(HttpStatus.CREATED)
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.bodyValue(JSONObjectUtils.toJSONString(body));
	}

	private static Mono<ServerResponse> withJson(ServerRequest request, JsonAction action) {
		return request.bodyToMono(String.class).defaultIfEmpty("").flatMap((text) -> {
			Map<String, Object> body;
			try {
				body = JSONObjectUtils.parse(text);
			}
			catch (ParseException ex) {
				return invalid("the body must be a JSON object");
			}
			try {
				return action.apply(body);
			}
			catch (ParseException | ArithmeticException ex) {
				return invalid("malformed request: " + ex.getMessage());
			}
		});
	}

	private static Duration lifetime(Map<String, Object> body) throws ParseException {
		if (!body.containsKey("expires_in")) {
			return null;
		}
		return Duration.ofSeconds(Math.toIntExact(JSONObjectUtils.getLong(body, "expires_in")));
	}

	/** What a request does with its JSON body; a wrongly typed member throws. */
	@FunctionalInterface
	private interface JsonAction {

		Mono<ServerResponse> apply(Map<String, Object> body) throws ParseException;

	}

	private static Mono<ServerResponse> invalid(String description) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", "invalid_request");
		body.put("error_description", description);
		return ServerResponse.badRequest()
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(JSONObjectUtils.toJSONString(body));
	}

}
