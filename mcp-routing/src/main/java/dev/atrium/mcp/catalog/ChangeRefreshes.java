package dev.atrium.mcp.catalog;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Catalog refreshes asked for by a target's {@code list_changed}. A target announces one
 * change on every session it has, so the announcements of one change reach Atrium from
 * many client streams within moments: those that come before the refresh starts (a short
 * settling time after the first) share it. One that comes while the refresh runs may
 * announce a later change, which that refresh may have missed: it waits for the next.
 */
final class ChangeRefreshes {

	private static final Logger logger = LoggerFactory.getLogger(ChangeRefreshes.class);

	private final Function<String, Mono<?>> refresh;

	private final Duration settle;

	private final Scheduler scheduler;

	/** The refresh of each target that has not started yet. */
	private final Map<String, Sinks.Empty<Void>> pending = new HashMap<>();

	/**
	 * @param refresh reads a target's catalog; never fails
	 * @param settle how long after the first announcement the refresh starts
	 * @param scheduler where the settling time is counted
	 */
	ChangeRefreshes(Function<String, Mono<?>> refresh, Duration settle, Scheduler scheduler) {
		this.refresh = refresh;
		this.settle = settle;
		this.scheduler = scheduler;
	}

	/** Completes once a refresh of the target that started after this call ended. */
	synchronized Mono<Void> after(String target) {
		Sinks.Empty<Void> next = this.pending.get(target);
		if (next == null) {
			Sinks.Empty<Void> scheduled = Sinks.empty();
			this.pending.put(target, scheduled);
			Mono.delay(this.settle, this.scheduler)
				.then(Mono.defer(() -> started(target, scheduled)))
				.subscribe(null, (ex) -> {
					logger.debug("Refresh of target '{}' after a change failed: {}", target, ex.toString());
					scheduled.tryEmitEmpty();
				}, scheduled::tryEmitEmpty);
			next = scheduled;
		}
		return next.asMono();
	}

	private Mono<Void> started(String target, Sinks.Empty<Void> scheduled) {
		synchronized (this) {
			this.pending.remove(target, scheduled);
		}
		return this.refresh.apply(target).then();
	}

}
