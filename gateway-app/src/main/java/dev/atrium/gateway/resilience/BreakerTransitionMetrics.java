package dev.atrium.gateway.resilience;

import java.util.Locale;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts every state change of every target's circuit breaker, the breakers made later
 * (on a target's first call) included: Resilience4j's binder shows the state a scrape
 * finds, which misses a breaker that opened and closed between two scrapes.
 */
final class BreakerTransitionMetrics implements MeterBinder {

	private final CircuitBreakerRegistry breakers;

	BreakerTransitionMetrics(CircuitBreakerRegistry breakers) {
		this.breakers = breakers;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.breakers.getAllCircuitBreakers().forEach((breaker) -> count(breaker, registry));
		this.breakers.getEventPublisher().onEntryAdded((event) -> count(event.getAddedEntry(), registry));
	}

	private static void count(CircuitBreaker breaker, MeterRegistry registry) {
		breaker.getEventPublisher()
			.onStateTransition((event) -> Counter.builder("atrium.breaker.transitions")
				.description("State changes of the targets' circuit breakers")
				.tag("target", breaker.getName())
				.tag("from", name(event.getStateTransition().getFromState()))
				.tag("to", name(event.getStateTransition().getToState()))
				.register(registry)
				.increment());
	}

	private static String name(CircuitBreaker.State state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
