package dev.atrium.mcp.federation;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The calls this replica holds open at older targets while their 2026-07-28 clients
 * gather the input the targets asked for. A call is held from its
 * {@code InputRequiredResult} until the client's retry takes it, or until the window
 * passes, when the target is told to stop. A retry takes a call once: a second retry with
 * the same state finds nothing, so no answer reaches the target twice.
 */
final class HeldCalls implements HeldCall.Holder {

	private final RequestStates states;

	private final Duration window;

	private final int capacity;

	private final Scheduler scheduler;

	private final Clock clock;

	private final Map<String, Held> waiting = new ConcurrentHashMap<>();

	/**
	 * @param window how long a call waits for its client's retry
	 * @param capacity how many calls may wait at once on this replica
	 */
	HeldCalls(RequestStates states, Duration window, int capacity, Scheduler scheduler, Clock clock) {
		this.states = states;
		this.window = window;
		this.capacity = capacity;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@Override
	public String hold(HeldCall call, JsonRpcMessage request) {
		if (this.waiting.size() >= this.capacity) {
			return null;
		}
		Disposable expiry = Mono.delay(this.window, this.scheduler).subscribe((tick) -> {
			if (this.waiting.remove(call.id()) != null) {
				call.expire();
			}
		});
		this.waiting.put(call.id(), new Held(call, expiry));
		return this.states.seal(call.id(), call.caller(), request, this.clock.instant().plus(this.window));
	}

	@Override
	public void release(HeldCall call) {
		Held held = this.waiting.remove(call.id());
		if (held != null) {
			held.expiry().dispose();
		}
	}

	/** Takes the call a retry names, or says why it cannot. */
	Taken take(JsonRpcMessage retry, String caller) {
		return switch (this.states.open(retry, caller)) {
			case RequestStates.Opened.Refused refused -> new Taken.Refused(refused.reason(), refused.message());
			case RequestStates.Opened.Held named -> {
				Held held = this.waiting.remove(named.id());
				if (held == null) {
					yield new Taken.Refused("unknown",
							"requestState names no call waiting for input: it was answered, retried already, or ended");
				}
				held.expiry().dispose();
				yield new Taken.Call(held.call());
			}
		};
	}

	/** How many calls wait for their clients now. */
	int size() {
		return this.waiting.size();
	}

	private record Held(HeldCall call, Disposable expiry) {
	}

	/** What a retry finds. */
	sealed interface Taken {

		record Call(HeldCall call) implements Taken {
		}

		record Refused(String reason, String message) implements Taken {
		}

	}

}
