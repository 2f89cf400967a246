package dev.atrium.benchmarks.load;

import java.util.Arrays;
import java.util.List;

import dev.atrium.benchmarks.load.LoadGenerator.WarmUp;
import dev.atrium.benchmarks.load.LoadGenerator.Window;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTests {

	@Test
	void threeWindowsWithinToleranceThatNoLongerClimbHaveSettled() {
		assertThat(WarmUp.settled(windows(150, 900, 1000, 1010, 1040, 980, 1000), 0.05)).isTrue();
	}

	@Test
	void aSlowRampWhoseLastThreeWindowsAgreeHasNotSettled() {
		// The Atrium row of the run of 2026-11-26 (501cf8d): three windows within 5 %
		// while the JIT was still climbing.
		assertThat(WarmUp.settled(windows(81, 130, 144, 199, 203, 214), 0.05)).isFalse();
	}

	@Test
	void windowsThatFellBackHaveNotSettled() {
		// The plain gateway's row of the run of 2026-11-26 (8d50a97): it was taken as
		// settled in a dip, 14 % below the three windows before.
		assertThat(WarmUp.settled(windows(180, 309, 438, 564, 573, 732, 680, 592, 548, 576), 0.05)).isFalse();
	}

	@Test
	void windowsThatAgreeWithTheThreeBeforeHaveSettledAfterADip() {
		assertThat(WarmUp.settled(windows(700, 590, 560, 690, 700, 710, 705, 690, 700), 0.05)).isTrue();
	}

	@Test
	void aWindowFurtherThanToleranceFromTheMeanHasNotSettled() {
		assertThat(WarmUp.settled(windows(1000, 1000, 1000, 900, 1000, 1150), 0.05)).isFalse();
	}

	@Test
	void fewerThanSixWindowsHaveNotSettled() {
		assertThat(WarmUp.settled(windows(1000, 1000, 1000, 1000, 1000), 0.05)).isFalse();
	}

	@Test
	void windowsWithoutAnswersHaveNotSettled() {
		assertThat(WarmUp.settled(windows(0, 0, 0, 0, 0, 0), 0.05)).isFalse();
	}

	private static List<Window> windows(long... okPerSecond) {
		return Arrays.stream(okPerSecond).mapToObj((ok) -> new Window(1.0, ok, 0)).toList();
	}

}
