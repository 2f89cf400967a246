package dev.atrium.policy.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResilienceSettingsTests {

	@Test
	void badValuesAreRefusedWithTheirNameAndValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BreakerSettings(-3, 5, Duration.ofSeconds(60), 1, Duration.ofSeconds(30)))
			.withMessage("failureThreshold must be > 0, was -3");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BreakerSettings(5, 4, Duration.ofSeconds(60), 1, Duration.ofSeconds(30)))
			.withMessage("window must be >= failureThreshold (5), was 4");
		assertThatIllegalArgumentException().isThrownBy(() -> new BulkheadSettings(0, Duration.ZERO))
			.withMessage("maxConcurrentCalls must be > 0, was 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0, 0.5))
			.withMessage("max must be >= initial (PT2S), was PT1S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetrySettings.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 1.0))
			.withMessage("jitter must be >= 0 and < 1, was 1.0");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings.Budget(1.5, Duration.ofSeconds(10), 5))
			.withMessage("ratio must be >= 0 and <= 1, was 1.5");
	}

}
