package dev.atrium.mcp.catalog;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeRefreshesTests {

	private static final Duration SETTLE = Duration.ofMillis(100);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final List<String> refreshed = new CopyOnWriteArrayList<>();

	/** The refresh that runs, completed by the test. */
	private Sinks.Empty<Void> running = Sinks.empty();

	private final ChangeRefreshes changes = new ChangeRefreshes((target) -> {
		this.refreshed.add(target);
		return this.running.asMono();
	}, SETTLE, this.scheduler);

	@AfterEach
	void stop() {
		this.scheduler.dispose();
	}

	@Test
	void oneChangeAnnouncedOnManySessionsRefreshesTheCatalogOnce() {
		List<Mono<Void>> waits = List.of(this.changes.after("a"), this.changes.after("a"), this.changes.after("a"));
		List<Boolean> done = new CopyOnWriteArrayList<>();
		waits.forEach((wait) -> wait.subscribe(null, null, () -> done.add(true)));

		this.scheduler.advanceTimeBy(SETTLE);
		assertThat(this.refreshed).containsExactly("a");
		assertThat(done).isEmpty();

		this.running.tryEmitEmpty();
		assertThat(done).hasSize(3);
		assertThat(this.refreshed).containsExactly("a");
	}

	@Test
	void aRefreshWaitsTheSettlingTimeAfterTheFirstAnnouncement() {
		this.changes.after("a").subscribe();
		this.scheduler.advanceTimeBy(SETTLE.minusMillis(1));
		assertThat(this.refreshed).isEmpty();
		this.scheduler.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.refreshed).containsExactly("a");
	}

	@Test
	void anAnnouncementWhileTheRefreshRunsGetsARefreshOfItsOwn() {
		this.changes.after("a").subscribe();
		this.scheduler.advanceTimeBy(SETTLE);
		List<Boolean> done = new CopyOnWriteArrayList<>();
		this.changes.after("a").subscribe(null, null, () -> done.add(true));

		Sinks.Empty<Void> first = this.running;
		this.running = Sinks.empty();
		first.tryEmitEmpty();
		assertThat(done).isEmpty();

		this.scheduler.advanceTimeBy(SETTLE);
		assertThat(this.refreshed).containsExactly("a", "a");
		this.running.tryEmitEmpty();
		assertThat(done).hasSize(1);
	}

	@Test
	void targetsAreRefreshedApart() {
		this.changes.after("a").subscribe();
		this.changes.after("b").subscribe();
		this.scheduler.advanceTimeBy(SETTLE);
		assertThat(this.refreshed).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void aFailedRefreshStillEndsTheWait() {
		ChangeRefreshes failing = new ChangeRefreshes((target) -> Mono.error(new IllegalStateException("down")), SETTLE,
				this.scheduler);
		List<Boolean> done = new CopyOnWriteArrayList<>();
		failing.after("a").subscribe(null, null, () -> done.add(true));
		this.scheduler.advanceTimeBy(SETTLE);
		assertThat(done).hasSize(1);
	}

}
