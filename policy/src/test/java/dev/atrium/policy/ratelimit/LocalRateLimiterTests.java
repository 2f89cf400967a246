package dev.atrium.policy.ratelimit;

import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRateLimiterTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	private final LocalRateLimiter limiter = new LocalRateLimiter(1000, Duration.ofDays(1), this.clock);

	@Test
	void aTierAdmitsItsCapacityThenRefusesUntilItRefills() {
		RateTier tier = RateTier.of("small", "3/minute");
		for (int remaining = 2; remaining >= 0; remaining--) {
			RateLimitDecision decision = this.limiter.consume("a", tier).block();
			assertThat(decision).isInstanceOfSatisfying(RateLimitDecision.Admitted.class,
					(admitted) -> assertThat(admitted.limit()).isEqualTo(3));
			assertThat(((RateLimitDecision.Admitted) decision).remaining()).isEqualTo(remaining);
		}
		RateLimitDecision refused = this.limiter.consume("a", tier).block();
		assertThat(refused).isInstanceOfSatisfying(RateLimitDecision.Refused.class,
				(decision) -> assertThat(decision.retryAfter()).isEqualTo(Duration.ofSeconds(20)));
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(this.limiter.consume("a", tier).block()).isInstanceOf(RateLimitDecision.Admitted.class);
		assertThat(this.limiter.consume("a", tier).block()).isInstanceOf(RateLimitDecision.Refused.class);
	}

	@Test
	void keysHaveTheirOwnBuckets() {
		RateTier tier = RateTier.of("one", "1/hour");
		assertThat(this.limiter.consume("a", tier).block()).isInstanceOf(RateLimitDecision.Admitted.class);
		assertThat(this.limiter.consume("b", tier).block()).isInstanceOf(RateLimitDecision.Admitted.class);
		assertThat(this.limiter.consume("a", tier).block()).isInstanceOf(RateLimitDecision.Refused.class);
	}

	@Test
	void theBurstLimitHoldsWithinTheLongerOne() {
		// The seed's third-party tier at a tenth: 100/hour with bursts of 5/minute.
		RateTier tier = RateTier.of("third-party", "100/hour", "5/minute");
		int admitted = 0;
		for (int i = 0; i < 10; i++) {
			if (this.limiter.consume("agent", tier).block() instanceof RateLimitDecision.Admitted) {
				admitted++;
			}
		}
		assertThat(admitted).isEqualTo(5);
		this.clock.advance(Duration.ofMinutes(1));
		RateLimitDecision next = this.limiter.consume("agent", tier).block();
		// The minute refilled; the hour reports what is left of it.
		assertThat(next).isInstanceOfSatisfying(RateLimitDecision.Admitted.class,
				(decision) -> assertThat(decision.remaining()).isEqualTo(4));
	}

	@Test
	void theResetIsWhenTheBucketIsFullAgain() {
		RateTier tier = RateTier.of("hourly", "60/hour");
		this.limiter.consume("a", tier).block();
		RateLimitDecision decision = this.limiter.consume("a", tier).block();
		assertThat(decision).isInstanceOfSatisfying(RateLimitDecision.Admitted.class,
				(admitted) -> assertThat(admitted.reset()).isEqualTo(Duration.ofMinutes(2)));
	}

}
