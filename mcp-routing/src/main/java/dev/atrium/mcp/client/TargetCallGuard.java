package dev.atrium.mcp.client;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * What stands between a client's request and the target it is routed to: circuit
 * breakers, concurrency limits and retries live behind this interface, so that routing
 * knows none of them.
 * <p>
 * A guard may refuse a call without making it, with a {@link TargetException} of fault
 * {@link TargetException.Fault#NOT_CALLED} that names the target; it may subscribe to the
 * upstream call more than once (a retry), but only while no answer has begun.
 */
@FunctionalInterface
public interface TargetCallGuard {

	/** Makes every call as it is. */
	TargetCallGuard NONE = (call, upstream) -> upstream.get();

	/**
	 * The guarded call.
	 * @param call what is called
	 * @param upstream makes the call; each subscription to a supplied {@code Mono} is one
	 * attempt, which completes as soon as the target's answer begins
	 */
	Mono<UpstreamReply> guard(TargetCall call, Supplier<Mono<UpstreamReply>> upstream);

}
