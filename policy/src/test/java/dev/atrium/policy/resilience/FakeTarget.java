package dev.atrium.policy.resilience;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.atrium.mcp.client.TargetException;
import dev.atrium.mcp.client.UpstreamReply;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.IntNode;

/**
 * A target as the guard sees it: a supplier of calls that answers from a script and
 * counts how often it was really called.
 */
final class FakeTarget implements Supplier<Mono<UpstreamReply>> {

	private final String name;

	private final AtomicInteger calls = new AtomicInteger();

	private final Deque<Supplier<Mono<UpstreamReply>>> script = new ArrayDeque<>();

	private Supplier<Mono<UpstreamReply>> otherwise = FakeTarget::answer;

	FakeTarget(String name) {
		this.name = name;
	}

	/** Every call not scripted answers this way. */
	FakeTarget always(Supplier<Mono<UpstreamReply>> behaviour) {
		this.otherwise = behaviour;
		return this;
	}

	/** The next call answers this way. */
	FakeTarget then(Supplier<Mono<UpstreamReply>> behaviour) {
		this.script.add(behaviour);
		return this;
	}

	int calls() {
		return this.calls.get();
	}

	@Override
	public Mono<UpstreamReply> get() {
		return Mono.defer(() -> {
			this.calls.incrementAndGet();
			Supplier<Mono<UpstreamReply>> next = this.script.poll();
			return (next != null) ? next.get() : this.otherwise.get();
		});
	}

	Supplier<Mono<UpstreamReply>> status(int status) {
		return () -> Mono.error(TargetException.httpStatus(this.name, status, "answered HTTP " + status));
	}

	Supplier<Mono<UpstreamReply>> refused() {
		return () -> Mono.error(TargetException.unreachable(this.name, "cannot be reached: Connection refused"));
	}

	static Mono<UpstreamReply> answer() {
		return Mono.just(new UpstreamReply(false, Flux.just(result())));
	}

	static JsonRpcMessage result() {
		return JsonRpcCodec.result(IntNode.valueOf(1), JsonRpcCodec.object());
	}

}
