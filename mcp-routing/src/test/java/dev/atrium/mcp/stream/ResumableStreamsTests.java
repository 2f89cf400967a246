package dev.atrium.mcp.stream;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.atrium.mcp.session.SessionKeyRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

class ResumableStreamsTests {

	private static final Duration WINDOW = Duration.ofSeconds(30);

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final Sinks.Many<String> target = Sinks.many().unicast().onBackpressureBuffer();

	private final AtomicBoolean targetCancelled = new AtomicBoolean();

	private final Flux<String> messages = this.target.asFlux().doOnCancel(() -> this.targetCancelled.set(true));

	private static final StreamSettings SETTINGS = new StreamSettings(WINDOW, 100, 100, Duration.ofMillis(500));

	private ResumableStreams streams = streams(SETTINGS);

	@AfterEach
	void stopTime() {
		this.time.dispose();
	}

	@Test
	void aStreamStartsWithAPrimingEventAndNumbersItsMessages() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		this.target.tryEmitNext("m1");
		this.target.tryEmitNext("m2");
		this.target.tryEmitComplete();
		assertThat(first.events).extracting(StreamEvent::data).containsExactly("", "m1", "m2");
		assertThat(first.events.get(0).priming()).isTrue();
		assertThat(first.events).extracting((event) -> event.id().sequence()).containsExactly(0L, 1L, 2L);
		assertThat(first.events).extracting((event) -> event.id().stream()).containsOnly(stream(first));
		assertThat(first.completed).isTrue();
	}

	@Test
	void aClientThatReconnectsGetsOnlyWhatItMissedThenTheRest() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		this.target.tryEmitNext("m1");
		first.subscription.dispose();
		this.target.tryEmitNext("m2");
		this.target.tryEmitNext("m3");
		Connection second = resume("session-1", stream(first) + ".1");
		this.target.tryEmitNext("m4");
		this.target.tryEmitComplete();
		assertThat(first.events).extracting(StreamEvent::data).containsExactly("", "m1");
		assertThat(second.events).extracting(StreamEvent::data).containsExactly("", "m2", "m3", "m4");
		assertThat(second.events.get(0).id()).isEqualTo(new EventId(stream(first), 1));
		assertThat(second.completed).isTrue();
		assertThat(this.targetCancelled).isFalse();
	}

	@Test
	void theCallGoesOnWhileTheClientIsAwayWithinTheWindow() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		first.subscription.dispose();
		this.time.advanceTimeBy(WINDOW.minusMillis(1));
		Connection second = resume("session-1", stream(first) + ".0");
		this.time.advanceTimeBy(WINDOW.multipliedBy(2));
		this.target.tryEmitNext("m1");
		assertThat(this.targetCancelled).isFalse();
		assertThat(second.events).extracting(StreamEvent::data).containsExactly("", "m1");
	}

	@Test
	void aClientThatStaysAwayLongerThanTheWindowHasTheCallCancelled() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		this.target.tryEmitNext("m1");
		first.subscription.dispose();
		this.time.advanceTimeBy(WINDOW);
		assertThat(this.targetCancelled).isTrue();
		assertThat(this.streams.size()).isZero();
		assertThat(this.streams.resume("session-1", stream(first) + ".1"))
			.isInstanceOf(ResumableStreams.Resumption.Refused.class);
	}

	@Test
	void aResponseNobodySubscribedToCountsAsAClientAway() {
		this.streams.open("session-1", this.messages);
		this.time.advanceTimeBy(WINDOW);
		assertThat(this.targetCancelled).isTrue();
	}

	@Test
	void anEndedStreamCanBeResumedWithinTheWindowOnly() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		first.subscription.dispose();
		this.target.tryEmitNext("m1");
		this.target.tryEmitComplete();
		this.time.advanceTimeBy(WINDOW.minusMillis(1));
		Connection second = resume("session-1", stream(first) + ".0");
		assertThat(second.events).extracting(StreamEvent::data).containsExactly("", "m1");
		assertThat(second.completed).isTrue();
		this.time.advanceTimeBy(WINDOW);
		assertThat(this.streams.resume("session-1", stream(first) + ".0"))
			.isInstanceOf(ResumableStreams.Resumption.Refused.class);
		assertThat(this.streams.size()).isZero();
	}

	@Test
	void aStreamPastItsWindowIsRefusedEvenBeforeItIsSweptAway() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		first.subscription.dispose();
		this.target.tryEmitComplete();
		this.time.advanceTimeBy(WINDOW.minusMillis(100));
		// Another stream opened sweeps now, so the next sweep is a second away.
		connect(this.streams.open("session-2", Flux.never()));
		this.time.advanceTimeBy(Duration.ofMillis(200));
		assertThat(this.streams.resume("session-1", stream(first) + ".0"))
			.isInstanceOf(ResumableStreams.Resumption.Refused.class);
	}

	@Test
	void aNewConnectionTakesOverFromTheOldOne() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		Connection second = resume("session-1", stream(first) + ".0");
		this.target.tryEmitNext("m1");
		assertThat(first.completed).isTrue();
		assertThat(first.events).extracting(StreamEvent::data).containsExactly("");
		assertThat(second.events).extracting(StreamEvent::data).containsExactly("", "m1");
	}

	@Test
	void aStreamOfAnotherSessionIsUnknown() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		assertThat(this.streams.resume("session-2", stream(first) + ".0")).isInstanceOfSatisfying(
				ResumableStreams.Resumption.Refused.class,
				(refused) -> assertThat(refused.reason()).contains("no stream to resume"));
	}

	@Test
	void aLastEventIdAtriumDidNotMakeIsRefused() {
		assertThat(this.streams.resume("session-1", "42")).isInstanceOfSatisfying(
				ResumableStreams.Resumption.Refused.class,
				(refused) -> assertThat(refused.reason()).contains("not an event id"));
	}

	@Test
	void aClientThatMissedMoreThanIsKeptCannotResume() {
		this.streams = streams(new StreamSettings(WINDOW, 2, 100, Duration.ofMillis(500)));
		Connection first = connect(this.streams.open("session-1", this.messages));
		first.subscription.dispose();
		this.target.tryEmitNext("m1");
		this.target.tryEmitNext("m2");
		this.target.tryEmitNext("m3");
		assertThat(this.streams.resume("session-1", stream(first) + ".0")).isInstanceOfSatisfying(
				ResumableStreams.Resumption.Refused.class,
				(refused) -> assertThat(refused.reason()).contains("no longer all kept"));
		assertThat(resume("session-1", stream(first) + ".1").events).extracting(StreamEvent::data)
			.containsExactly("", "m2", "m3");
	}

	@Test
	void beyondTheBoundTheOldestEndedStreamIsForgotten() {
		this.streams = streams(new StreamSettings(WINDOW, 10, 1, Duration.ofMillis(500)));
		Connection first = connect(this.streams.open("session-1", Flux.just("m1")));
		Connection second = connect(this.streams.open("session-1", this.messages));
		assertThat(this.streams.size()).isOne();
		assertThat(this.streams.resume("session-1", stream(first) + ".0"))
			.isInstanceOf(ResumableStreams.Resumption.Refused.class);
		assertThat(this.streams.resume("session-1", stream(second) + ".0"))
			.isInstanceOf(ResumableStreams.Resumption.Resumed.class);
	}

	@Test
	void beyondTheBoundWithNoEndedStreamANewStreamIsRelayedButNotKept() {
		this.streams = streams(new StreamSettings(WINDOW, 10, 1, Duration.ofMillis(500)));
		connect(this.streams.open("session-1", Flux.never()));
		Connection second = connect(this.streams.open("session-1", Flux.just("m1")));
		assertThat(second.events).extracting(StreamEvent::data).containsExactly("", "m1");
		assertThat(this.streams.resume("session-1", stream(second) + ".0"))
			.isInstanceOf(ResumableStreams.Resumption.Refused.class);
	}

	@Test
	void aStreamOfAnotherReplicaIsHeldThereWhenItsIdSaysSo() {
		SessionKeyRing ring = SessionKeyRing.derive(List
			.of(new SessionKeyRing.Secret("k1", "the secret every replica of this deployment shares".getBytes())));
		URI holder = URI.create("http://10.0.3.17:8080");
		ResumableStreams here = new ResumableStreams(SETTINGS, this.time, new SchedulerClock(this.time),
				StreamIds.sealing(URI.create("http://10.0.4.2:8080"), ring));
		ResumableStreams there = new ResumableStreams(SETTINGS, this.time, new SchedulerClock(this.time),
				StreamIds.sealing(holder, ring));
		Connection first = connect(there.open("session-1", this.messages));
		EventId last = new EventId(stream(first), 0);
		assertThat(here.resume("session-1", last.encode()))
			.isEqualTo(new ResumableStreams.Resumption.HeldElsewhere(holder, last));
		assertThat(there.resume("session-1", last.encode())).isInstanceOf(ResumableStreams.Resumption.Resumed.class);
	}

	@Test
	void aStreamThisReplicaSealedButNoLongerKeepsIsNotKept() {
		SessionKeyRing ring = SessionKeyRing.derive(List
			.of(new SessionKeyRing.Secret("k1", "the secret every replica of this deployment shares".getBytes())));
		StreamIds ids = StreamIds.sealing(URI.create("http://10.0.4.2:8080"), ring);
		ResumableStreams here = new ResumableStreams(SETTINGS, this.time, new SchedulerClock(this.time), ids);
		assertThat(here.resume("session-1", ids.newStream() + ".3")).isInstanceOfSatisfying(
				ResumableStreams.Resumption.Refused.class,
				(refused) -> assertThat(refused.reason()).contains("no stream to resume"));
	}

	@Test
	void aForgedHolderIsNotAnEventIdOfThisServer() {
		SessionKeyRing ring = SessionKeyRing.derive(List
			.of(new SessionKeyRing.Secret("k1", "the secret every replica of this deployment shares".getBytes())));
		SessionKeyRing other = SessionKeyRing.derive(
				List.of(new SessionKeyRing.Secret("k1", "a secret of somebody else, long enough to pass".getBytes())));
		ResumableStreams here = new ResumableStreams(SETTINGS, this.time, new SchedulerClock(this.time),
				StreamIds.sealing(URI.create("http://10.0.4.2:8080"), ring));
		String forged = StreamIds.sealing(URI.create("http://169.254.169.254"), other).newStream();
		assertThat(here.resume("session-1", forged + ".0")).isInstanceOfSatisfying(
				ResumableStreams.Resumption.Refused.class,
				(refused) -> assertThat(refused.reason()).contains("not an event id"));
	}

	@Test
	void endingTheSessionCancelsItsCalls() {
		Connection first = connect(this.streams.open("session-1", this.messages));
		this.streams.endSession("session-1");
		assertThat(this.targetCancelled).isTrue();
		assertThat(first.completed).isTrue();
		assertThat(this.streams.size()).isZero();
	}

	private ResumableStreams streams(StreamSettings settings) {
		return new ResumableStreams(settings, this.time, new SchedulerClock(this.time));
	}

	private Connection resume(String session, String lastEventId) {
		ResumableStreams.Resumption resumption = this.streams.resume(session, lastEventId);
		assertThat(resumption).isInstanceOf(ResumableStreams.Resumption.Resumed.class);
		return connect(((ResumableStreams.Resumption.Resumed) resumption).events());
	}

	private static String stream(Connection connection) {
		return connection.events.get(0).id().stream();
	}

	private static Connection connect(Flux<StreamEvent> events) {
		Connection connection = new Connection();
		connection.subscription = events.subscribe(connection.events::add, null, () -> connection.completed = true);
		return connection;
	}

	private static final class Connection {

		final List<StreamEvent> events = new CopyOnWriteArrayList<>();

		volatile boolean completed;

		Disposable subscription;

	}

	/** The virtual time of the scheduler, as a clock. */
	private static final class SchedulerClock extends Clock {

		private final VirtualTimeScheduler time;

		SchedulerClock(VirtualTimeScheduler time) {
			this.time = time;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.time.now(TimeUnit.MILLISECONDS));
		}

	}

}
