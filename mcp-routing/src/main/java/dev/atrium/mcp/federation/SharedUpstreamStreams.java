package dev.atrium.mcp.federation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.publisher.Flux;

/**
 * Targets' standalone streams ({@code GET}), one per upstream session however many client
 * streams listen to it: a server may refuse a second standalone stream in a session
 * (2025-11-25 lets it send each message on one stream only), and the sessions Atrium
 * keeps per caller for 2026-07-28 clients serve every stream the caller opens. A stream
 * is opened for its first listener and closed after its last.
 */
final class SharedUpstreamStreams {

	private final Map<String, Flux<JsonRpcMessage>> streams = new ConcurrentHashMap<>();

	/**
	 * @param key names the upstream session
	 * @param open opens the stream, for the first listener
	 */
	Flux<JsonRpcMessage> of(String key, Supplier<Flux<JsonRpcMessage>> open) {
		return Flux.defer(() -> this.streams.computeIfAbsent(key, (absent) -> shared(absent, open)));
	}

	private Flux<JsonRpcMessage> shared(String key, Supplier<Flux<JsonRpcMessage>> open) {
		AtomicReference<Flux<JsonRpcMessage>> self = new AtomicReference<>();
		self.set(open.get().doFinally((signal) -> this.streams.remove(key, self.get())).publish().refCount());
		return self.get();
	}

}
