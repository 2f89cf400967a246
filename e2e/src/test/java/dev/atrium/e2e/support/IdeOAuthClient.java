package dev.atrium.e2e.support;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an IDE does to reach an MCP server behind an OAuth authorization server, over
 * plain HTTP and without a browser: follow the 401 challenge to the RFC 9728 protected
 * resource metadata, discover the authorization server (RFC 8414, then OpenID Connect
 * discovery), register a public client by RFC 7591 dynamic client registration, run the
 * authorization code flow with PKCE S256 (RFC 7636) and the {@code resource} parameter
 * (RFC 8707) through Keycloak's login and consent pages, exchange the code and refresh
 * the token.
 * <p>
 * The redirect to the loopback redirect URI (RFC 8252) is never followed: the code and
 * state are read from the {@code Location} header, so no listener is needed on the
 * redirect port. Cookies are kept per client, as a browser would; like a browser, the
 * client treats {@code http://127.0.0.1} and {@code http://localhost} as a secure
 * context, because Keycloak marks its login cookies {@code Secure} even over plain HTTP
 * and {@link CookieManager} would otherwise never send them back.
 * <p>
 * Every failure is an {@link OAuthFlowException} naming the step, the HTTP status and the
 * start of the response body (or the OAuth {@code error} of a redirect).
 */
public final class IdeOAuthClient implements AutoCloseable {

	/** The grant types an IDE registers. */
	public static final List<String> IDE_GRANT_TYPES = List.of("authorization_code", "refresh_token");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int MAX_LOGIN_STEPS = 10;

	private static final int BODY_SNIPPET = 600;

	private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>",
			Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

	private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);

	private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')");

	private static final Pattern FEEDBACK = Pattern.compile(
			"(?:kc-feedback-text|pf-v5-c-alert__title|id=\"input-error\")[^>]*>\\s*([^<]+)", Pattern.CASE_INSENSITIVE);

	private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>", Pattern.CASE_INSENSITIVE);

	private static final Pattern CHALLENGE_PARAM = Pattern
		.compile("([\\w-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]+)");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final SecureRandom random = new SecureRandom();

	private final HttpClient http;

	/**
	 * A client with its own cookie jar, connecting from the default local address.
	 */
	public IdeOAuthClient() {
		this(null);
	}

	/**
	 * A client with its own cookie jar, connecting from the given local address.
	 * @param localAddress the source address of every connection, for example
	 * {@code 127.0.0.2} to look like another host of the loopback network; {@code null}
	 * for the default
	 */
	public IdeOAuthClient(InetAddress localAddress) {
		HttpClient.Builder builder = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			// Every redirect is followed by hand: the last one must not be
			.followRedirects(HttpClient.Redirect.NEVER)
			.cookieHandler(new LoopbackSecureContextCookieHandler());
		if (localAddress != null) {
			builder.localAddress(localAddress);
		}
		this.http = builder.build();
	}

	/**
	 * The whole flow an IDE runs once it knows where the MCP server's protected resource
	 * metadata is: discover, register, log in, exchange the code.
	 * @param resourceMetadataUrl the RFC 9728 metadata URL (from the 401's
	 * {@code resource_metadata})
	 * @param clientName the {@code client_name} to register
	 * @param redirectPort the loopback port of the redirect URI (nothing needs to listen)
	 * @param scopes the scopes to register and ask for
	 * @param username the user to log in as
	 * @param password the user's password
	 * @return the session: metadata, registration and tokens
	 */
	public Session authorize(URI resourceMetadataUrl, String clientName, int redirectPort, List<String> scopes,
			String username, String password) {
		ResourceMetadata resource = resourceMetadata(resourceMetadataUrl);
		ServerMetadata server = serverMetadata(resource.authorizationServers().get(0));
		Registration registration = register(server,
				ClientMetadata.ide(clientName, loopbackRedirectUri(redirectPort), scopes));
		AuthorizationRequest request = authorizationRequest(server, registration, scopes, resource.resource());
		AuthorizationResponse response = login(request, username, password);
		Tokens tokens = exchange(server, registration, request, response);
		return new Session(resource, server, registration, tokens);
	}

	/**
	 * Call an MCP endpoint without a token, as an IDE's first {@code initialize} does,
	 * and read the 401 challenge.
	 * @param mcpEndpoint the MCP endpoint, for example
	 * {@code http://127.0.0.1:8080/internal/mcp}
	 * @return the challenge; its {@link Challenge#resourceMetadata()} leads on
	 */
	public Challenge challenge(URI mcpEndpoint) {
		String initialize = """
				{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
				"capabilities":{},"clientInfo":{"name":"atrium-e2e-ide","version":"1.0.0"}}}""";
		HttpRequest request = HttpRequest.newBuilder(mcpEndpoint)
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(initialize))
			.build();
		HttpResponse<String> response = send("challenge", request);
		String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
		if (response.statusCode() != 401 || header == null) {
			throw new OAuthFlowException("challenge",
					"expected 401 with WWW-Authenticate from " + mcpEndpoint + ", got " + response.statusCode(),
					response.statusCode(), response.body(), null, null);
		}
		Challenge challenge = Challenge.parse(response.statusCode(), header);
		if (challenge.resourceMetadata() == null) {
			throw new OAuthFlowException("challenge", "the challenge names no resource_metadata: " + header,
					response.statusCode(), response.body(), null, null);
		}
		return challenge;
	}

	/**
	 * Fetch RFC 9728 protected resource metadata.
	 * @param url the metadata URL
	 * @return the metadata; it names at least one authorization server
	 */
	public ResourceMetadata resourceMetadata(URI url) {
		JsonNode body = getJson("resource metadata", url);
		List<URI> servers = new ArrayList<>();
		body.path("authorization_servers").forEach((server) -> servers.add(URI.create(server.asString())));
		if (servers.isEmpty()) {
			throw new OAuthFlowException("resource metadata", url + " names no authorization_servers", 200,
					body.toString(), null, null);
		}
		return new ResourceMetadata(body.path("resource").asString(null), servers,
				strings(body.path("scopes_supported")), url);
	}

	/**
	 * Discover an authorization server the way the MCP specification orders it: RFC 8414
	 * with the path inserted after {@code /.well-known/oauth-authorization-server}, then
	 * OpenID Connect discovery with the path inserted, then appended. The metadata's
	 * {@code issuer} must equal the given issuer exactly (RFC 8414 section 3.3).
	 * @param issuer the authorization server's issuer identifier
	 * @return the metadata
	 */
	public ServerMetadata serverMetadata(URI issuer) {
		String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
		String path = (issuer.getRawPath() != null) ? issuer.getRawPath().replaceAll("/+$", "") : "";
		List<URI> candidates = List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
				URI.create(origin + "/.well-known/openid-configuration" + path),
				URI.create(origin + path + "/.well-known/openid-configuration"));
		List<String> tried = new ArrayList<>();
		for (URI candidate : candidates) {
			HttpResponse<String> response = send("server metadata", get(candidate));
			if (response.statusCode() != 200) {
				tried.add(candidate + " -> " + response.statusCode());
				continue;
			}
			JsonNode body = parse("server metadata", response);
			if (!issuer.toString().equals(body.path("issuer").asString())) {
				throw new OAuthFlowException("server metadata",
						candidate + " says issuer " + body.path("issuer").asString() + ", expected " + issuer, 200,
						response.body(), null, null);
			}
			return new ServerMetadata(issuer, uri(body, "authorization_endpoint"), uri(body, "token_endpoint"),
					uri(body, "registration_endpoint"), strings(body.path("code_challenge_methods_supported")),
					strings(body.path("scopes_supported")), strings(body.path("grant_types_supported")), candidate);
		}
		throw new OAuthFlowException("server metadata", "no metadata for " + issuer + ": " + tried, 404, "", null,
				null);
	}

	/**
	 * Register a client by RFC 7591 dynamic client registration, anonymously.
	 * @param server the authorization server
	 * @param metadata the client metadata
	 * @return the registration
	 */
	public Registration register(ServerMetadata server, ClientMetadata metadata) {
		if (server.registrationEndpoint() == null) {
			throw new OAuthFlowException("registration", server.issuer() + " offers no registration_endpoint", 0, "",
					null, null);
		}
		HttpRequest request = HttpRequest.newBuilder(server.registrationEndpoint())
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(metadata.toJson()))
			.build();
		HttpResponse<String> response = send("registration", request);
		if (response.statusCode() != 201) {
			throw failure("registration", "registration refused", response);
		}
		JsonNode body = parse("registration", response);
		return new Registration(body.path("client_id").asString(), body.path("client_secret").asString(null),
				strings(body.path("redirect_uris")).stream().map(URI::create).toList(), body.path("scope").asString(""),
				body.path("token_endpoint_auth_method").asString(null), strings(body.path("grant_types")),
				body.path("registration_access_token").asString(null), body.hasNonNull("registration_client_uri")
						? URI.create(body.path("registration_client_uri").asString()) : null);
	}

	/**
	 * Build an authorization request with a fresh PKCE S256 verifier and state.
	 * @param server the authorization server
	 * @param registration the registered client; its first redirect URI is used
	 * @param scopes the scopes to ask for
	 * @param resource the RFC 8707 resource indicator, or {@code null}
	 * @return the request, holding the verifier for {@link #exchange}
	 */
	public AuthorizationRequest authorizationRequest(ServerMetadata server, Registration registration,
			List<String> scopes, String resource) {
		String verifier = randomToken(48);
		String state = randomToken(24);
		URI redirectUri = registration.redirectUris().get(0);
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("response_type", "code");
		parameters.put("client_id", registration.clientId());
		parameters.put("redirect_uri", redirectUri.toString());
		parameters.put("scope", String.join(" ", scopes));
		parameters.put("state", state);
		parameters.put("code_challenge", s256(verifier));
		parameters.put("code_challenge_method", "S256");
		if (resource != null) {
			parameters.put("resource", resource);
		}
		URI uri = URI.create(server.authorizationEndpoint() + "?" + form(parameters));
		return new AuthorizationRequest(uri, state, verifier, redirectUri, resource, List.copyOf(scopes),
				server.issuer());
	}

	/**
	 * Run the authorization request through Keycloak's pages as a user in a browser
	 * would: fill in the login form ({@code kc-form-login}), grant consent when asked,
	 * follow Keycloak's own redirects, and stop at the redirect to the loopback redirect
	 * URI. With a live session (same client, earlier login) no form is shown.
	 * @param request the authorization request
	 * @param username the user
	 * @param password the password
	 * @return the code, with its state and issuer checked
	 */
	public AuthorizationResponse login(AuthorizationRequest request, String username, String password) {
		HttpResponse<String> response = send("authorization", get(request.uri()));
		boolean credentialsSent = false;
		for (int step = 0; step < MAX_LOGIN_STEPS; step++) {
			if (isRedirect(response)) {
				URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
				if (isAt(location, request.redirectUri())) {
					return authorizationResponse(request, location);
				}
				response = send("authorization", get(location));
				continue;
			}
			if (response.statusCode() != 200) {
				throw failure("authorization", "the authorization server refused the request", response);
			}
			Map<String, Form> forms = forms(response);
			Form login = forms.get("login");
			Form consent = forms.get("consent");
			if (login != null && !credentialsSent) {
				Map<String, String> fields = new LinkedHashMap<>(login.fields());
				fields.put("username", username);
				fields.put("password", password);
				response = send("login", post(login.action(), fields));
				credentialsSent = true;
			}
			else if (consent != null) {
				Map<String, String> fields = new LinkedHashMap<>(consent.fields());
				// The "Yes" button: Keycloak only checks that "cancel" is absent
				fields.put("accept", "");
				response = send("consent", post(consent.action(), fields));
			}
			else {
				throw failure((login != null) ? "login" : "authorization",
						(login != null) ? "the login form came back: " + pageMessage(response.body())
								: "unexpected page: " + pageMessage(response.body()),
						response);
			}
		}
		throw failure("authorization",
				"no redirect to " + request.redirectUri() + " after " + MAX_LOGIN_STEPS + " steps", response);
	}

	/**
	 * Exchange an authorization code for tokens, with the PKCE verifier.
	 * @param server the authorization server
	 * @param registration the client
	 * @param request the authorization request the code answers
	 * @param response the authorization response
	 * @return the tokens
	 */
	public Tokens exchange(ServerMetadata server, Registration registration, AuthorizationRequest request,
			AuthorizationResponse response) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("grant_type", "authorization_code");
		fields.put("code", response.code());
		fields.put("redirect_uri", request.redirectUri().toString());
		fields.put("client_id", registration.clientId());
		if (request.codeVerifier() != null) {
			fields.put("code_verifier", request.codeVerifier());
		}
		if (request.resource() != null) {
			fields.put("resource", request.resource());
		}
		return tokenRequest("token", server, fields);
	}

	/**
	 * Refresh tokens with the refresh token, as an IDE does when the access token
	 * expires.
	 * @param server the authorization server
	 * @param registration the client
	 * @param refreshToken the refresh token
	 * @param resource the RFC 8707 resource indicator, or {@code null}
	 * @return the new tokens (with a new refresh token when the server rotates them)
	 */
	public Tokens refresh(ServerMetadata server, Registration registration, String refreshToken, String resource) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("grant_type", "refresh_token");
		fields.put("refresh_token", refreshToken);
		fields.put("client_id", registration.clientId());
		if (resource != null) {
			fields.put("resource", resource);
		}
		return tokenRequest("refresh", server, fields);
	}

	/**
	 * Send a request with the client's cookies, no redirect followed. For steps this
	 * class does not cover, such as calling the MCP endpoint with the token.
	 * @param request the request
	 * @return the response
	 */
	public HttpResponse<String> send(HttpRequest request) {
		return send("request", request);
	}

	@Override
	public void close() {
		this.http.close();
	}

	/**
	 * The loopback redirect URI an IDE registers for a port (RFC 8252 section 7.3).
	 * @param port the port
	 * @return {@code http://127.0.0.1:<port>/callback}
	 */
	public static URI loopbackRedirectUri(int port) {
		return URI.create("http://127.0.0.1:" + port + "/callback");
	}

	private Tokens tokenRequest(String step, ServerMetadata server, Map<String, String> fields) {
		HttpResponse<String> response = send(step, post(server.tokenEndpoint(), fields));
		if (response.statusCode() != 200) {
			throw failure(step, "the token endpoint refused the request", response);
		}
		JsonNode body = parse(step, response);
		Instant now = Instant.now();
		long expiresIn = body.path("expires_in").asLong(0);
		long refreshExpiresIn = body.path("refresh_expires_in").asLong(0);
		return new Tokens(body.path("access_token").asString(), body.path("token_type").asString(),
				body.path("refresh_token").asString(null), body.path("id_token").asString(null),
				List.of(body.path("scope").asString("").split(" ")).stream().filter((s) -> !s.isEmpty()).toList(),
				(expiresIn > 0) ? now.plusSeconds(expiresIn) : null,
				(refreshExpiresIn > 0) ? now.plusSeconds(refreshExpiresIn) : null);
	}

	private AuthorizationResponse authorizationResponse(AuthorizationRequest request, URI location) {
		Map<String, String> parameters = query(location);
		if (parameters.containsKey("error")) {
			throw new OAuthFlowException("authorization",
					"redirected with error " + parameters.get("error") + ": " + parameters.get("error_description"),
					302, location.toString(), parameters.get("error"), parameters.get("error_description"));
		}
		if (!request.state().equals(parameters.get("state"))) {
			throw new OAuthFlowException("authorization",
					"state mismatch: sent " + request.state() + ", got " + parameters.get("state"), 302,
					location.toString(), null, null);
		}
		// RFC 9207: an IDE that talks to several servers checks who answers (mix-up)
		String issuer = parameters.get("iss");
		if (issuer != null && !issuer.equals(request.issuer().toString())) {
			throw new OAuthFlowException("authorization",
					"iss mismatch: expected " + request.issuer() + ", got " + issuer, 302, location.toString(), null,
					null);
		}
		String code = parameters.get("code");
		if (code == null || code.isEmpty()) {
			throw new OAuthFlowException("authorization", "no code in " + location, 302, location.toString(), null,
					null);
		}
		return new AuthorizationResponse(code, parameters.get("state"), issuer, location);
	}

	private Map<String, Form> forms(HttpResponse<String> response) {
		Map<String, Form> forms = new LinkedHashMap<>();
		Matcher matcher = FORM.matcher(response.body());
		while (matcher.find()) {
			Map<String, String> attributes = attributes(matcher.group(1));
			String body = matcher.group(2);
			String action = attributes.get("action");
			if (action == null) {
				continue;
			}
			Map<String, String> fields = new LinkedHashMap<>();
			Matcher input = INPUT.matcher(body);
			while (input.find()) {
				Map<String, String> inputAttributes = attributes(input.group(1));
				String name = inputAttributes.get("name");
				if (name != null && "hidden".equalsIgnoreCase(inputAttributes.getOrDefault("type", "text"))) {
					fields.put(name, inputAttributes.getOrDefault("value", ""));
				}
			}
			Form form = new Form(response.uri().resolve(action), fields);
			if ("kc-form-login".equals(attributes.get("id"))) {
				forms.put("login", form);
			}
			else if (body.contains("name=\"accept\"")) {
				forms.put("consent", form);
			}
		}
		return forms;
	}

	private static Map<String, String> attributes(String tag) {
		Map<String, String> attributes = new LinkedHashMap<>();
		Matcher matcher = ATTRIBUTE.matcher(tag);
		while (matcher.find()) {
			String value = (matcher.group(3) != null) ? matcher.group(3) : matcher.group(4);
			attributes.put(matcher.group(1).toLowerCase(Locale.ROOT), unescapeHtml(value));
		}
		return attributes;
	}

	static String unescapeHtml(String text) {
		Matcher matcher = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|quot|apos|lt|gt|#39);").matcher(text);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String entity = matcher.group(1);
			String replacement = switch (entity) {
				case "amp" -> "&";
				case "quot" -> "\"";
				case "apos", "#39" -> "'";
				case "lt" -> "<";
				case "gt" -> ">";
				default -> Character.toString(entity.startsWith("#x") ? Integer.parseInt(entity.substring(2), 16)
						: Integer.parseInt(entity.substring(1)));
			};
			matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	private static String pageMessage(String html) {
		List<String> messages = new ArrayList<>();
		Matcher feedback = FEEDBACK.matcher(html);
		while (feedback.find()) {
			messages.add(unescapeHtml(feedback.group(1).strip()));
		}
		Matcher title = TITLE.matcher(html);
		if (title.find()) {
			messages.add("title: " + unescapeHtml(title.group(1).strip()));
		}
		return messages.isEmpty() ? "(no message on the page)" : String.join("; ", messages);
	}

	private static boolean isRedirect(HttpResponse<String> response) {
		int status = response.statusCode();
		return (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
				&& response.headers().firstValue("Location").isPresent();
	}

	private static boolean isAt(URI location, URI redirectUri) {
		return location.getScheme().equalsIgnoreCase(redirectUri.getScheme())
				&& location.getHost().equalsIgnoreCase(redirectUri.getHost())
				&& location.getPort() == redirectUri.getPort()
				&& location.getRawPath().equals(redirectUri.getRawPath());
	}

	private JsonNode getJson(String step, URI url) {
		HttpResponse<String> response = send(step, get(url));
		if (response.statusCode() != 200) {
			throw failure(step, "GET " + url + " failed", response);
		}
		return parse(step, response);
	}

	private static HttpRequest get(URI uri) {
		return HttpRequest.newBuilder(uri)
			.timeout(TIMEOUT)
			.header("Accept", "text/html, application/json")
			.GET()
			.build();
	}

	private static HttpRequest post(URI uri, Map<String, String> fields) {
		return HttpRequest.newBuilder(uri)
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(fields)))
			.build();
	}

	private HttpResponse<String> send(String step, HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new OAuthFlowException(step, request.method() + " " + request.uri() + " failed: " + ex, 0, "", null,
					null, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OAuthFlowException(step, "interrupted", 0, "", null, null, ex);
		}
	}

	private static JsonNode parse(String step, HttpResponse<String> response) {
		try {
			return json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new OAuthFlowException(step, "not JSON from " + response.uri(), response.statusCode(),
					response.body(), null, null, ex);
		}
	}

	private static OAuthFlowException failure(String step, String message, HttpResponse<String> response) {
		String error = null;
		String description = null;
		String body = response.body();
		if (body.startsWith("{")) {
			try {
				JsonNode node = json.readTree(body);
				error = node.path("error").asString(null);
				description = node.path("error_description").asString(null);
			}
			catch (JacksonException ex) {
				// not an OAuth error body: the snippet says enough
			}
		}
		else if (body.contains("<html")) {
			message = message + " (" + pageMessage(body) + ")";
		}
		return new OAuthFlowException(step,
				message + ((error != null) ? ": " + error + ((description != null) ? " - " + description : "") : ""),
				response.statusCode(), body, error, description);
	}

	private static URI uri(JsonNode body, String field) {
		return body.hasNonNull(field) ? URI.create(body.path(field).asString()) : null;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return List.copyOf(values);
	}

	private static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String query = uri.getRawQuery();
		if (query != null) {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String name = (equals < 0) ? pair : pair.substring(0, equals);
				String value = (equals < 0) ? "" : pair.substring(equals + 1);
				parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		return parameters;
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
			.collect(Collectors.joining("&"));
	}

	private static String randomToken(int bytes) {
		byte[] value = new byte[bytes];
		random.nextBytes(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
	}

	static String s256(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String snippet(String body) {
		String flat = body.replaceAll("\\s+", " ").strip();
		return (flat.length() > BODY_SNIPPET) ? flat.substring(0, BODY_SNIPPET) + "..." : flat;
	}

	/**
	 * A 401 {@code WWW-Authenticate} challenge (RFC 6750, RFC 9728 section 5.1).
	 *
	 * @param status the HTTP status
	 * @param scheme the auth scheme, {@code Bearer}
	 * @param parameters the auth parameters, such as {@code resource_metadata},
	 * {@code scope}, {@code error}
	 */
	public record Challenge(int status, String scheme, Map<String, String> parameters) {

		/**
		 * Parse one challenge header.
		 * @param status the HTTP status
		 * @param header the {@code WWW-Authenticate} value
		 * @return the challenge
		 */
		public static Challenge parse(int status, String header) {
			String trimmed = header.strip();
			int space = trimmed.indexOf(' ');
			String scheme = (space < 0) ? trimmed : trimmed.substring(0, space);
			Map<String, String> parameters = new LinkedHashMap<>();
			if (space > 0) {
				Matcher matcher = CHALLENGE_PARAM.matcher(trimmed.substring(space + 1));
				while (matcher.find()) {
					String value = (matcher.group(3) != null) ? matcher.group(3).replaceAll("\\\\(.)", "$1")
							: matcher.group(2);
					parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), value);
				}
			}
			return new Challenge(status, scheme, Map.copyOf(parameters));
		}

		/**
		 * The RFC 9728 metadata URL, if the challenge names one.
		 * @return the URL or {@code null}
		 */
		public URI resourceMetadata() {
			String value = this.parameters.get("resource_metadata");
			return (value != null) ? URI.create(value) : null;
		}

	}

	/**
	 * RFC 9728 protected resource metadata.
	 *
	 * @param resource the resource identifier, the audience to ask for (RFC 8707)
	 * @param authorizationServers the issuers that may issue tokens for it
	 * @param scopesSupported the scopes it understands
	 * @param source where the metadata was read
	 */
	public record ResourceMetadata(String resource, List<URI> authorizationServers, List<String> scopesSupported,
			URI source) {
	}

	/**
	 * RFC 8414 authorization server metadata, the fields an IDE uses.
	 *
	 * @param issuer the issuer, checked against the metadata
	 * @param authorizationEndpoint the authorization endpoint
	 * @param tokenEndpoint the token endpoint
	 * @param registrationEndpoint the RFC 7591 registration endpoint, or {@code null}
	 * @param codeChallengeMethodsSupported the PKCE methods it advertises
	 * @param scopesSupported the scopes it advertises
	 * @param grantTypesSupported the grant types it advertises
	 * @param source the metadata URL that answered
	 */
	public record ServerMetadata(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI registrationEndpoint,
			List<String> codeChallengeMethodsSupported, List<String> scopesSupported, List<String> grantTypesSupported,
			URI source) {
	}

	/**
	 * RFC 7591 client metadata to register.
	 *
	 * @param clientName {@code client_name}
	 * @param redirectUris {@code redirect_uris}
	 * @param grantTypes {@code grant_types}
	 * @param responseTypes {@code response_types}
	 * @param tokenEndpointAuthMethod {@code token_endpoint_auth_method}
	 * @param scope {@code scope}, space separated, or {@code null}
	 */
	public record ClientMetadata(String clientName, List<URI> redirectUris, List<String> grantTypes,
			List<String> responseTypes, String tokenEndpointAuthMethod, String scope) {

		/**
		 * What an IDE registers: a public client (no secret, {@code none}) using the
		 * authorization code and refresh token grants, redirecting to loopback.
		 * @param clientName the name users see on the consent page
		 * @param redirectUri the loopback redirect URI
		 * @param scopes the scopes
		 * @return the metadata
		 */
		public static ClientMetadata ide(String clientName, URI redirectUri, List<String> scopes) {
			return new ClientMetadata(clientName, List.of(redirectUri), IDE_GRANT_TYPES, List.of("code"), "none",
					scopes.isEmpty() ? null : String.join(" ", scopes));
		}

		/**
		 * A copy with other redirect URIs.
		 * @param uris the redirect URIs
		 * @return the copy
		 */
		public ClientMetadata withRedirectUris(URI... uris) {
			return new ClientMetadata(this.clientName, List.of(uris), this.grantTypes, this.responseTypes,
					this.tokenEndpointAuthMethod, this.scope);
		}

		/**
		 * A copy with other grant and response types.
		 * @param grantTypes the grant types
		 * @param responseTypes the response types
		 * @return the copy
		 */
		public ClientMetadata withGrants(List<String> grantTypes, List<String> responseTypes) {
			return new ClientMetadata(this.clientName, this.redirectUris, grantTypes, responseTypes,
					this.tokenEndpointAuthMethod, this.scope);
		}

		/**
		 * A copy with another token endpoint authentication method.
		 * @param method for example {@code client_secret_basic}
		 * @return the copy
		 */
		public ClientMetadata withTokenEndpointAuthMethod(String method) {
			return new ClientMetadata(this.clientName, this.redirectUris, this.grantTypes, this.responseTypes, method,
					this.scope);
		}

		/**
		 * A copy with another scope.
		 * @param scope space separated scopes, or {@code null}
		 * @return the copy
		 */
		public ClientMetadata withScope(String scope) {
			return new ClientMetadata(this.clientName, this.redirectUris, this.grantTypes, this.responseTypes,
					this.tokenEndpointAuthMethod, scope);
		}

		/**
		 * The registration request body.
		 * @return JSON
		 */
		public String toJson() {
			ObjectNode body = json.createObjectNode();
			body.put("client_name", this.clientName);
			ArrayNode uris = body.putArray("redirect_uris");
			this.redirectUris.forEach((uri) -> uris.add(uri.toString()));
			ArrayNode grants = body.putArray("grant_types");
			this.grantTypes.forEach(grants::add);
			ArrayNode responses = body.putArray("response_types");
			this.responseTypes.forEach(responses::add);
			body.put("token_endpoint_auth_method", this.tokenEndpointAuthMethod);
			if (this.scope != null) {
				body.put("scope", this.scope);
			}
			return json.writeValueAsString(body);
		}

	}

	/**
	 * An RFC 7591 registration response.
	 *
	 * @param clientId the issued {@code client_id}
	 * @param clientSecret the secret of a confidential client, or {@code null}
	 * @param redirectUris the registered redirect URIs
	 * @param scope the scopes the client may ask for, as the server registered them
	 * @param tokenEndpointAuthMethod how the client authenticates
	 * @param grantTypes the registered grant types
	 * @param registrationAccessToken the RFC 7592 management token
	 * @param registrationClientUri the RFC 7592 management URI
	 */
	public record Registration(String clientId, String clientSecret, List<URI> redirectUris, String scope,
			String tokenEndpointAuthMethod, List<String> grantTypes, String registrationAccessToken,
			URI registrationClientUri) {

		@Override
		public String toString() {
			return "Registration[clientId=" + this.clientId + ", redirectUris=" + this.redirectUris + ", scope="
					+ this.scope + ", tokenEndpointAuthMethod=" + this.tokenEndpointAuthMethod + "]";
		}

	}

	/**
	 * An authorization request and the secrets that go with it.
	 *
	 * @param uri the full authorization URI
	 * @param state the state sent, checked on the way back
	 * @param codeVerifier the PKCE verifier, or {@code null} without PKCE
	 * @param redirectUri the redirect URI sent
	 * @param resource the resource indicator sent, or {@code null}
	 * @param scopes the scopes asked for
	 * @param issuer the issuer expected in the response's {@code iss}
	 */
	public record AuthorizationRequest(URI uri, String state, String codeVerifier, URI redirectUri, String resource,
			List<String> scopes, URI issuer) {

		/**
		 * The same request without {@code code_challenge} and
		 * {@code code_challenge_method}, for checking that a server refuses it.
		 * @return the copy
		 */
		public AuthorizationRequest withoutPkce() {
			String query = this.uri.getRawQuery()
				.replaceAll("(^|&)code_challenge(_method)?=[^&]*", "")
				.replaceAll("^&", "");
			String base = this.uri.toString().substring(0, this.uri.toString().indexOf('?'));
			return new AuthorizationRequest(URI.create(base + "?" + query), this.state, null, this.redirectUri,
					this.resource, this.scopes, this.issuer);
		}

		@Override
		public String toString() {
			return "AuthorizationRequest[" + this.uri + "]";
		}

	}

	/**
	 * The authorization response, read from the redirect's {@code Location}.
	 *
	 * @param code the authorization code
	 * @param state the state, equal to the one sent
	 * @param issuer the RFC 9207 {@code iss}, or {@code null} if the server sends none
	 * @param location the whole redirect URI
	 */
	public record AuthorizationResponse(String code, String state, String issuer, URI location) {
	}

	/**
	 * A token response.
	 *
	 * @param accessToken the access token
	 * @param tokenType the token type, {@code Bearer}
	 * @param refreshToken the refresh token, or {@code null}
	 * @param idToken the ID token, or {@code null} (only with the {@code openid} scope)
	 * @param scope the granted scopes
	 * @param expiresAt when the access token expires, from {@code expires_in}
	 * @param refreshExpiresAt when the refresh token expires, from Keycloak's
	 * {@code refresh_expires_in}, or {@code null}
	 */
	public record Tokens(String accessToken, String tokenType, String refreshToken, String idToken, List<String> scope,
			Instant expiresAt, Instant refreshExpiresAt) {

		@Override
		public String toString() {
			return "Tokens[tokenType=" + this.tokenType + ", scope=" + this.scope + ", expiresAt=" + this.expiresAt
					+ ", refreshToken=" + ((this.refreshToken != null) ? "yes" : "no") + "]";
		}

	}

	/**
	 * Everything the whole flow produced.
	 *
	 * @param resource the protected resource metadata
	 * @param server the authorization server metadata
	 * @param registration the registered client
	 * @param tokens the tokens
	 */
	public record Session(ResourceMetadata resource, ServerMetadata server, Registration registration, Tokens tokens) {
	}

	private record Form(URI action, Map<String, String> fields) {
	}

	/**
	 * A step of the flow failed.
	 */
	public static final class OAuthFlowException extends IllegalStateException {

		private final String step;

		private final int status;

		private final String body;

		private final String error;

		private final String errorDescription;

		OAuthFlowException(String step, String message, int status, String body, String error,
				String errorDescription) {
			this(step, message, status, body, error, errorDescription, null);
		}

		OAuthFlowException(String step, String message, int status, String body, String error, String errorDescription,
				Throwable cause) {
			super(step + ": " + message + " (HTTP " + status + ")" + (body.isEmpty() ? "" : ", body: " + snippet(body)),
					cause);
			this.step = step;
			this.status = status;
			this.body = body;
			this.error = error;
			this.errorDescription = errorDescription;
		}

		/**
		 * Which step failed: challenge, resource metadata, server metadata, registration,
		 * authorization, login, consent, token or refresh.
		 * @return the step
		 */
		public String step() {
			return this.step;
		}

		/**
		 * The HTTP status of the failing response, 0 if none came.
		 * @return the status
		 */
		public int status() {
			return this.status;
		}

		/**
		 * The whole body of the failing response (or the redirect URI).
		 * @return the body
		 */
		public String body() {
			return this.body;
		}

		/**
		 * The OAuth {@code error}, if the server sent one.
		 * @return the error or {@code null}
		 */
		public String error() {
			return this.error;
		}

		/**
		 * The OAuth {@code error_description}, if the server sent one.
		 * @return the description or {@code null}
		 */
		public String errorDescription() {
			return this.errorDescription;
		}

	}

	/**
	 * Browsers treat {@code http://localhost} and {@code http://127.0.0.1} as potentially
	 * trustworthy origins and send {@code Secure} cookies to them; Keycloak relies on it
	 * (its login cookies are {@code Secure} even over HTTP). {@link CookieManager} only
	 * sends them over HTTPS, so loopback HTTP URIs are presented to it as HTTPS.
	 */
	static final class LoopbackSecureContextCookieHandler extends CookieHandler {

		private final CookieManager delegate = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);

		@Override
		public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
			return this.delegate.get(secureContext(uri), requestHeaders);
		}

		@Override
		public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
			this.delegate.put(secureContext(uri), responseHeaders);
		}

		private static URI secureContext(URI uri) {
			if (!"http".equalsIgnoreCase(uri.getScheme()) || !isLoopback(uri.getHost())) {
				return uri;
			}
			try {
				return new URI("https", uri.getRawUserInfo(), uri.getHost(), uri.getPort(), uri.getPath(),
						uri.getQuery(), null);
			}
			catch (java.net.URISyntaxException ex) {
				return uri;
			}
		}

		private static boolean isLoopback(String host) {
			if (host == null) {
				return false;
			}
			if ("localhost".equalsIgnoreCase(host) || host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
				return true;
			}
			// Literal addresses only: a name is never resolved here
			if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
				return false;
			}
			try {
				return InetAddress.getByName(host).isLoopbackAddress();
			}
			catch (UnknownHostException ex) {
				return false;
			}
		}

	}

}
