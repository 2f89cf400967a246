package dev.atrium.policy.resilience;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.TargetCallGuard;
import dev.atrium.mcp.client.UpstreamReply;
import dev.atrium.mcp.region.RegionFailover;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Resilience per target with Resilience4j: each target has its own circuit breaker,
 * bulkhead and retry budget, made on its first call, so that one failing target leaves
 * the others untouched.
 */
public final class ResilientTargetCalls implements TargetCallGuard, RegionFailover.Availability {

	private final Function<String, ResilienceSettings> settings;

	private final Clock clock;

	private final Scheduler delays;

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

	private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();

	private final Map<String, TargetGuard> guards = new ConcurrentHashMap<>();

	/**
	 * @param settings the settings of a target, by its name
	 * @param clock the clock of breaker windows and retry budgets
	 */
	public ResilientTargetCalls(Function<String, ResilienceSettings> settings, Clock clock) {
		this(settings, clock, Schedulers.parallel());
	}

	/**
	 * @param settings the settings of a target, by its name
	 * @param clock the clock of breaker windows and retry budgets
	 * @param delays where the waits between retries are timed
	 */
	public ResilientTargetCalls(Function<String, ResilienceSettings> settings, Clock clock, Scheduler delays) {
		this.settings = settings;
		this.clock = clock;
		this.delays = delays;
	}

	@Override
	public Mono<UpstreamReply> guard(TargetCall call, Supplier<Mono<UpstreamReply>> upstream) {
		return guardOf(call.target(), call.endpoint()).guard(call, upstream);
	}

	/**
	 * Guards a relay the gateway does not read, a pass-through route: the target's own
	 * breaker and bulkhead, shared with its federated calls, and no retries.
	 * @param relayed the relay, completing when the answer ended
	 * @param status the HTTP status the target answered with, asked once it ended
	 * @return the relay, or a {@code TargetException} refusal naming the target
	 */
	public Mono<Void> relay(String target, Mono<Void> relayed, IntSupplier status) {
		return guardOf(target, target).relay(relayed, status);
	}

	/**
	 * The state of an endpoint's breaker; closed for one not called yet.
	 * @param endpoint a target's name, or {@code target@region} for one of its regions
	 */
	public CircuitBreaker.State breakerState(String endpoint) {
		TargetGuard guard = this.guards.get(endpoint);
		return (guard != null) ? guard.breaker().getState() : CircuitBreaker.State.CLOSED;
	}

	/**
	 * A region is passed over while its breaker refuses every call; once its open
	 * duration is over it is offered again, and the next call there is the trial.
	 */
	@Override
	public boolean available(String target, String region) {
		TargetGuard guard = this.guards.get(TargetCall.endpoint(target, region));
		return guard == null || !guard.refusesEveryCall();
	}

	/**
	 * Every target's breaker, named after the target ({@code target@region} for each
	 * region of a regional target), for metrics.
	 */
	public CircuitBreakerRegistry circuitBreakers() {
		return this.breakers;
	}

	/** Every target's bulkhead, named after the target, for metrics. */
	public BulkheadRegistry bulkheads() {
		return this.bulkheads;
	}

	/**
	 * Each endpoint, a target or one of its regions, has its own guard, with the target's
	 * settings.
	 */
	private TargetGuard guardOf(String target, String endpoint) {
		return this.guards.computeIfAbsent(endpoint, (name) -> {
			ResilienceSettings settings = this.settings.apply(target);
			return new TargetGuard(name, settings, this.clock, this.delays,
					this.breakers.circuitBreaker(name, TargetGuard.breakerConfig(settings.breaker(), this.clock)),
					this.bulkheads.bulkhead(name, TargetGuard.bulkheadConfig(settings.bulkhead())));
		});
	}

}
