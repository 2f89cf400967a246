package dev.atrium.policy.resilience;

import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTests {

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

	@Test
	void retriesAreAllowedInProportionToTheCallsOfTheWindow() {
		RetryBudget budget = new RetryBudget(new RetrySettings.Budget(0.2, Duration.ofSeconds(10), 0), this.clock);
		for (int i = 0; i < 4; i++) {
			budget.recordCall();
		}
		assertThat(budget.tryRetry()).isFalse();
		budget.recordCall();
		assertThat(budget.tryRetry()).isTrue();
		assertThat(budget.tryRetry()).isFalse();
	}

	@Test
	void aQuietTargetStillGetsTheMinimum() {
		RetryBudget budget = new RetryBudget(new RetrySettings.Budget(0.2, Duration.ofSeconds(10), 2), this.clock);
		budget.recordCall();
		assertThat(budget.tryRetry()).isTrue();
		assertThat(budget.tryRetry()).isTrue();
		assertThat(budget.tryRetry()).isFalse();
	}

	@Test
	void callsAndRetriesOlderThanTheWindowAreForgotten() {
		RetryBudget budget = new RetryBudget(new RetrySettings.Budget(0.2, Duration.ofSeconds(10), 1), this.clock);
		assertThat(budget.tryRetry()).isTrue();
		assertThat(budget.tryRetry()).isFalse();
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(budget.tryRetry()).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(budget.tryRetry()).isTrue();
	}

}
