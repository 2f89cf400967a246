package dev.atrium.mcp.client.credentials;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * One value that expires, fetched again by a single fetch that every concurrent caller
 * shares. A failed fetch is not kept: the next caller tries again.
 *
 * @param <T> the value
 */
final class SingleFlightCache<T> {

	private final Supplier<Mono<T>> fetch;

	private final Function<T, Instant> expiry;

	private final Clock clock;

	private volatile Entry<T> entry;

	private Mono<T> pending;

	private Object flight;

	/**
	 * @param fetch fetches the value, each subscription once
	 * @param expiry when a fetched value stops being served
	 * @param clock the clock the expiry is read against
	 */
	SingleFlightCache(Supplier<Mono<T>> fetch, Function<T, Instant> expiry, Clock clock) {
		this.fetch = fetch;
		this.expiry = expiry;
		this.clock = clock;
	}

	/** The value while it has not expired, else the value of a shared fetch. */
	Mono<T> get() {
		return Mono.defer(() -> {
			Entry<T> current = this.entry;
			if (current != null && this.clock.instant().isBefore(current.expires())) {
				return Mono.just(current.value());
			}
			return refresh(current);
		});
	}

	/** The value of a fetch begun now (or of one already under way). */
	Mono<T> refresh() {
		return Mono.defer(() -> refresh(this.entry));
	}

	/** The last value fetched, expired or not; null before the first. */
	T last() {
		Entry<T> current = this.entry;
		return (current != null) ? current.value() : null;
	}

	private synchronized Mono<T> refresh(Entry<T> seen) {
		if (this.pending != null) {
			return this.pending;
		}
		Entry<T> current = this.entry;
		if (current != seen && current != null && this.clock.instant().isBefore(current.expires())) {
			// Another caller's fetch ended between our look and this lock.
			return Mono.just(current.value());
		}
		// The fetch stops being shared before its result reaches anyone: a caller woken
		// by it must not be handed the same (perhaps failed) result again.
		// cache(): a caller that cancels does not cancel the fetch the others wait for.
		Object flight = new Object();
		Mono<T> shared = Mono.defer(this.fetch).doOnNext((value) -> {
			this.entry = new Entry<>(value, this.expiry.apply(value));
			land(flight);
		}).doOnError((ex) -> land(flight)).doFinally((signal) -> land(flight)).cache();
		this.pending = shared;
		this.flight = flight;
		return shared;
	}

	private synchronized void land(Object flight) {
		if (this.flight == flight) {
			this.pending = null;
			this.flight = null;
		}
	}

	private record Entry<T>(T value, Instant expires) {
	}

}
