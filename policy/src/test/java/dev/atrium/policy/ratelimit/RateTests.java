package dev.atrium.policy.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateTests {

	@Test
	void theSeedsNotationIsRead() {
		assertThat(Rate.parse("1000/minute")).isEqualTo(new Rate(1000, Duration.ofMinutes(1)));
		assertThat(Rate.parse("10000/hour")).isEqualTo(new Rate(10000, Duration.ofHours(1)));
		assertThat(Rate.parse("10000/day")).isEqualTo(new Rate(10000, Duration.ofDays(1)));
		assertThat(Rate.parse(" 50 / second ")).isEqualTo(new Rate(50, Duration.ofSeconds(1)));
	}

	@Test
	void aPeriodMayBeAnyDuration() {
		assertThat(Rate.parse("100/10s")).isEqualTo(new Rate(100, Duration.ofSeconds(10)));
		assertThat(Rate.parse("5/500ms")).isEqualTo(new Rate(5, Duration.ofMillis(500)));
		assertThat(Rate.parse("7/2h").toString()).isEqualTo("7/2h");
	}

	@Test
	void whatIsNotARateIsRefusedWithItsText() {
		assertThatIllegalArgumentException().isThrownBy(() -> Rate.parse("lots")).withMessageContaining("'lots'");
		assertThatIllegalArgumentException().isThrownBy(() -> Rate.parse("10/fortnight"))
			.withMessageContaining("second, minute, hour, day");
		assertThatIllegalArgumentException().isThrownBy(() -> Rate.parse("0/hour"))
			.withMessage("capacity must be > 0, was 0");
	}

	@Test
	void theSeedTiersAreKnown() {
		RateTiers tiers = RateTiers.seed();
		assertThat(tiers.find("developer")).contains(RateTier.of("developer", "1000/minute"));
		assertThat(tiers.find("third-party").orElseThrow().rates()).containsExactly(Rate.parse("1000/hour"),
				Rate.parse("50/minute"));
		assertThat(tiers.find("claude-apps").orElseThrow().primary()).isEqualTo(Rate.parse("1500/hour"));
		assertThat(tiers.with(java.util.Map.of("developer", RateTier.of("developer", "5/second")))
			.find("developer")
			.orElseThrow()
			.primary()).isEqualTo(Rate.parse("5/second"));
	}

}
