package dev.atrium.policy.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.atrium.mcp.client.TargetCall;
import dev.atrium.mcp.client.TargetException;
import dev.atrium.mcp.client.UpstreamReply;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.testsupport.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The breaker, the bulkhead and the retries of one target, on a clock the tests move:
 * nothing here sleeps.
 */
class ResilientTargetCallsTests {

	/** The seed's breaker: 5 failures, 60 s reset, 30 s timeout; 100 concurrent calls. */
	static final ResilienceSettings SEED = new ResilienceSettings(
			new BreakerSettings(5, 5, Duration.ofSeconds(60), 1, Duration.ofSeconds(30)),
			new BulkheadSettings(100, Duration.ZERO),
			new RetrySettings(3, new RetrySettings.Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2.0, 0.5),
					new RetrySettings.Budget(1.0, Duration.ofSeconds(10), 100)));

	static final TargetCall CALL = new TargetCall("weather", "tools/call", false);

	static final TargetCall READ = new TargetCall("weather", "resources/read", true);

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	final ResilientTargetCalls guard = new ResilientTargetCalls((target) -> SEED, this.clock);

	final FakeTarget weather = new FakeTarget("weather");

	final ResilientTargetCalls onePlace = new ResilientTargetCalls(
			(target) -> new ResilienceSettings(SEED.breaker(), new BulkheadSettings(1, Duration.ZERO), SEED.retry()),
			this.clock);

	@Test
	void theBreakerOpensAfterFiveFailuresAndThenRefusesWithoutCallingTheTarget() {
		this.weather.always(this.weather.status(500));
		for (int i = 0; i < 4; i++) {
			fails(CALL, this.weather);
		}
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.CLOSED);
		fails(CALL, this.weather);
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.OPEN);
		this.clock.advance(Duration.ofSeconds(18));
		TargetException refused = fails(CALL, this.weather);
		assertThat(refused.fault()).isEqualTo(TargetException.Fault.NOT_CALLED);
		assertThat(refused.error().code()).isEqualTo(JsonRpcError.TARGET_UNAVAILABLE);
		assertThat(refused.getMessage()).startsWith("Target 'weather' is failing: its circuit breaker is open")
			.contains("tried again in 42 s (at 2026-11-25T10:01:00Z)");
		assertThat(this.weather.calls()).isEqualTo(5);
	}

	@Test
	void anOpenBreakerLetsOneProbeThroughAfterTheOpenDurationAndClosesWhenItSucceeds() {
		open();
		this.clock.advance(Duration.ofSeconds(59));
		assertThat(fails(CALL, this.weather).fault()).isEqualTo(TargetException.Fault.NOT_CALLED);
		this.clock.advance(Duration.ofMillis(1001));
		this.weather.always(FakeTarget::answer);
		UpstreamReply probe = this.guard.guard(CALL, this.weather).block();
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(probe.messages().collectList().block()).hasSize(1);
		assertThat(this.weather.calls()).isEqualTo(6);
		succeeds(CALL, this.weather);
	}

	@Test
	void whileTheProbeIsOpenOtherCallsAreRefused() {
		open();
		this.clock.advance(Duration.ofSeconds(61));
		Sinks.One<UpstreamReply> slowProbe = Sinks.one();
		this.weather.then(slowProbe::asMono);
		this.guard.guard(CALL, this.weather).subscribe();
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		assertThat(fails(CALL, this.weather).getMessage()).contains("is recovering");
		assertThat(this.weather.calls()).isEqualTo(6);
	}

	@Test
	void aProbeThatFailsOpensTheBreakerForAnotherOpenDuration() {
		open();
		this.clock.advance(Duration.ofSeconds(61));
		fails(CALL, this.weather);
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(fails(CALL, this.weather).getMessage()).contains("tried again in 60 s");
		assertThat(this.weather.calls()).isEqualTo(6);
	}

	@Test
	void errorsThatJudgeTheRequestDoNotOpenTheBreaker() {
		this.weather.always(this.weather.status(400));
		for (int i = 0; i < 10; i++) {
			fails(CALL, this.weather);
		}
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.weather.calls()).isEqualTo(10);
	}

	@Test
	void callsThatBeginTheirAnswerLaterThanTheSlowCallDurationOpenTheBreaker() {
		this.weather.always(() -> {
			this.clock.advance(Duration.ofSeconds(31));
			return FakeTarget.answer();
		});
		for (int i = 0; i < 5; i++) {
			succeeds(CALL, this.weather);
		}
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void aStreamThatBreaksAfterItBeganCountsAsAFailure() {
		this.weather.always(() -> Mono.just(new UpstreamReply(true, Flux.concat(Flux.just(FakeTarget.result()),
				Mono.error(TargetException.wentSilent("weather", Duration.ofSeconds(300)))))));
		for (int i = 0; i < 5; i++) {
			UpstreamReply reply = this.guard.guard(CALL, this.weather).block();
			assertThatExceptionOfType(TargetException.class).isThrownBy(() -> reply.messages().blockLast());
		}
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void anOpenBreakerLeavesTheOtherTargetsAlone() {
		open();
		FakeTarget news = new FakeTarget("news");
		succeeds(new TargetCall("news", "tools/call", false), news);
		assertThat(this.guard.breakerState("news")).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(news.calls()).isEqualTo(1);
	}

	@Test
	void eachRegionOfATargetHasItsOwnBreakerAndAnOpenOneIsNotAvailable() {
		FakeTarget east = new FakeTarget("crm");
		east.always(east.status(503));
		TargetCall inEast = new TargetCall("crm", "tools/call", false, "us-east-1");
		for (int i = 0; i < 5; i++) {
			fails(inEast, east);
		}
		assertThat(this.guard.breakerState("crm@us-east-1")).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.guard.available("crm", "us-east-1")).isFalse();
		assertThat(this.guard.available("crm", "eu-west-1")).isTrue();
		FakeTarget west = new FakeTarget("crm");
		succeeds(new TargetCall("crm", "tools/call", false, "eu-west-1"), west);
		assertThat(this.guard.breakerState("crm@eu-west-1")).isEqualTo(CircuitBreaker.State.CLOSED);
		// Half-open lets trial calls through: the region is offered again.
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(this.guard.available("crm", "us-east-1")).isTrue();
	}

	@Test
	void theBulkheadRefusesTheHundredAndFirstConcurrentCallUntilOneEnds() {
		List<Sinks.Empty<Void>> streams = new ArrayList<>();
		this.weather.always(() -> {
			Sinks.Empty<Void> end = Sinks.empty();
			streams.add(end);
			return Mono.just(new UpstreamReply(true, end.asMono().thenMany(Flux.empty())));
		});
		List<UpstreamReply> open = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			UpstreamReply reply = this.guard.guard(CALL, this.weather).block();
			reply.messages().subscribe();
			open.add(reply);
		}
		TargetException refused = fails(CALL, this.weather);
		assertThat(refused.fault()).isEqualTo(TargetException.Fault.NOT_CALLED);
		assertThat(refused.getMessage()).isEqualTo(
				"Target 'weather' is busy: it already has 100 calls open, the most it is given; try again shortly");
		assertThat(this.weather.calls()).isEqualTo(100);
		streams.get(0).tryEmitEmpty();
		this.guard.guard(CALL, this.weather).block().messages().subscribe();
		assertThat(this.weather.calls()).isEqualTo(101);
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void aCallerThatLeavesBeforeTheAnswerGivesItsPlaceBack() {
		this.onePlace.guard(CALL, this.weather.then(Mono::never)).subscribe().dispose();
		assertThat(this.onePlace.guard(CALL, this.weather).block()).isNotNull();
		assertThat(this.weather.calls()).isEqualTo(2);
		assertThat(this.onePlace.breakerState("weather")).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void aCallWaitsUpToMaxWaitForAPlaceOffTheCallersThread() throws Exception {
		ResilientTargetCalls waiting = new ResilientTargetCalls((target) -> new ResilienceSettings(SEED.breaker(),
				new BulkheadSettings(1, Duration.ofSeconds(30)), SEED.retry()), this.clock);
		Sinks.Empty<Void> end = Sinks.empty();
		this.weather.then(() -> Mono.just(new UpstreamReply(true, end.asMono().thenMany(Flux.empty()))));
		waiting.guard(CALL, this.weather).block().messages().subscribe();
		CompletableFuture<UpstreamReply> second = waiting.guard(CALL, this.weather).toFuture();
		assertThat(second).isNotDone();
		end.tryEmitEmpty();
		assertThat(second.get(10, TimeUnit.SECONDS).messages().collectList().block()).hasSize(1);
		assertThat(this.weather.calls()).isEqualTo(2);
	}

	@Test
	void aCallThatWaitedLongerThanMaxWaitIsRefused() {
		ResilientTargetCalls waiting = new ResilientTargetCalls((target) -> new ResilienceSettings(SEED.breaker(),
				new BulkheadSettings(1, Duration.ofMillis(50)), SEED.retry()), this.clock);
		this.weather.then(() -> Mono.just(new UpstreamReply(true, Flux.never())));
		waiting.guard(CALL, this.weather).block().messages().subscribe();
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> waiting.guard(CALL, this.weather).block())
			.withMessageContaining("is busy");
		assertThat(this.weather.calls()).isEqualTo(1);
	}

	@Test
	void anIdempotentCallIsRetriedAfterFailuresBeforeItsAnswer() {
		this.weather.then(this.weather.status(503)).then(this.weather.refused());
		UpstreamReply reply = this.guard.guard(READ, this.weather).block();
		assertThat(reply.messages().collectList().block()).hasSize(1);
		assertThat(this.weather.calls()).isEqualTo(3);
	}

	@Test
	void anIdempotentCallGivesUpAfterMaxAttemptsAndSaysSo() {
		this.weather.always(this.weather.status(503));
		TargetException failed = fails(READ, this.weather);
		assertThat(failed.getMessage()).isEqualTo("Target 'weather' answered HTTP 503 (3 attempts)");
		assertThat(this.weather.calls()).isEqualTo(3);
	}

	@Test
	void aCallThatIsNotIdempotentIsNeverRetried() {
		this.weather.then(this.weather.status(503));
		assertThat(fails(CALL, this.weather).getMessage()).isEqualTo("Target 'weather' answered HTTP 503");
		assertThat(this.weather.calls()).isEqualTo(1);
	}

	@Test
	void aFailureThatIsNotWorthRetryingIsNotRetried() {
		this.weather.always(this.weather.status(429));
		fails(READ, this.weather);
		assertThat(this.weather.calls()).isEqualTo(1);
	}

	@Test
	void aStreamThatBreaksAfterItsAnswerBeganIsNeverRetried() {
		this.weather.always(() -> Mono
			.just(new UpstreamReply(true, Flux.error(TargetException.broken("weather", "failed: connection reset")))));
		UpstreamReply reply = this.guard.guard(READ, this.weather).block();
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> reply.messages().blockLast());
		assertThat(this.weather.calls()).isEqualTo(1);
	}

	@Test
	void retriesStopWhenTheBreakerOpens() {
		this.weather.always(this.weather.status(503));
		fails(READ, this.weather);
		fails(READ, this.weather);
		assertThat(this.weather.calls()).isEqualTo(5);
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(fails(READ, this.weather).fault()).isEqualTo(TargetException.Fault.NOT_CALLED);
		assertThat(this.weather.calls()).isEqualTo(5);
	}

	@Test
	void theRetryBudgetCapsRetriesAtItsShareOfTheCallsInTheWindow() {
		ResilientTargetCalls budgeted = new ResilientTargetCalls((target) -> new ResilienceSettings(
				new BreakerSettings(100, 100, Duration.ofSeconds(60), 1, Duration.ofSeconds(30)), SEED.bulkhead(),
				new RetrySettings(3, SEED.retry().backoff(), new RetrySettings.Budget(0.2, Duration.ofSeconds(10), 0))),
				this.clock);
		this.weather.always(this.weather.status(503));
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(TargetException.class)
				.isThrownBy(() -> budgeted.guard(READ, this.weather).block());
		}
		// 20% of 10 calls: two retries, where three attempts each would have made 30.
		assertThat(this.weather.calls()).isEqualTo(12);
	}

	private void open() {
		this.weather.always(this.weather.refused());
		for (int i = 0; i < 5; i++) {
			fails(CALL, this.weather);
		}
		assertThat(this.guard.breakerState("weather")).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.weather.calls()).isEqualTo(5);
	}

	private void succeeds(TargetCall call, FakeTarget target) {
		UpstreamReply reply = this.guard.guard(call, target).block();
		assertThat(reply.messages().collectList().block()).hasSize(1);
	}

	private TargetException fails(TargetCall call, FakeTarget target) {
		TargetException[] failure = new TargetException[1];
		assertThatExceptionOfType(TargetException.class).isThrownBy(() -> this.guard.guard(call, target).block())
			.satisfies((ex) -> failure[0] = ex);
		return failure[0];
	}

}
