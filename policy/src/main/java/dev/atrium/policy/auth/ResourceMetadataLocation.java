package dev.atrium.policy.auth;

import java.net.URI;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Where a scenario's protected resource and its RFC 9728 metadata are, as the caller
 * reached them (scheme, host and port of the request; behind a proxy, configure Spring's
 * forwarded-header handling so that these are the public ones).
 */
public final class ResourceMetadataLocation {

	/** RFC 9728 section 3: the well-known prefix, inserted before the resource's path. */
	public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

	private ResourceMetadataLocation() {
	}

	public static String resource(ServerHttpRequest request, ScenarioAuth scenario) {
		return origin(request) + scenario.mcpPath();
	}

	public static String metadata(ServerHttpRequest request, ScenarioAuth scenario) {
		return origin(request) + WELL_KNOWN + scenario.mcpPath();
	}

	private static String origin(ServerHttpRequest request) {
		URI uri = request.getURI();
		return uri.getScheme() + "://" + uri.getRawAuthority();
	}

}
