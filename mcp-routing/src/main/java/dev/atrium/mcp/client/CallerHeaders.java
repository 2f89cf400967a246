package dev.atrium.mcp.client;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Headers that tell a target who is calling, for one request. They come from the
 * request's Reactor context (the authenticated caller), so catalog reads, which no caller
 * makes, get none.
 */
@FunctionalInterface
public interface CallerHeaders {

	/** No caller headers: scenarios without authentication, and tests. */
	CallerHeaders NONE = (target) -> Mono.empty();

	/** The headers for one request to the named target; empty for none. */
	Mono<Map<String, String>> forTarget(String target);

}
