package dev.atrium.mcp.client.credentials;

import java.util.Map;

import reactor.core.publisher.Mono;

/** Sends nothing: the target needs no credentials, or its headers carry them. */
public record NoCredentials() implements OutboundCredentials {

	@Override
	public Mono<Map<String, String>> headers(OutgoingRequest request) {
		return Mono.just(Map.of());
	}

}
