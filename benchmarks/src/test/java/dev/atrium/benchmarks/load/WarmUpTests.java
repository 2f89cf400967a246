package dev.atrium.benchmarks.load;

import java.util.Arrays;
import java.util.List;

import dev.atrium.benchmarks.load.LoadGenerator.WarmUp;
import dev.atrium.benchmarks.load.LoadGenerator.Window;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WarmUpTests {

	@Test
	void threeWindowsWithinToleranceOfTheirMeanHaveSettled() {
		assertThat(WarmUp.settled(windows(150, 900, 1000, 1040, 980), 0.05)).isTrue();
	}

	@Test
	void aWindowFurtherThanToleranceFromTheMeanHasNotSettled() {
		assertThat(WarmUp.settled(windows(900, 1000, 1150), 0.05)).isFalse();
	}

	@Test
	void fewerThanThreeWindowsHaveNotSettled() {
		assertThat(WarmUp.settled(windows(1000, 1000), 0.05)).isFalse();
	}

	@Test
	void windowsWithoutAnswersHaveNotSettled() {
		assertThat(WarmUp.settled(windows(0, 0, 0), 0.05)).isFalse();
	}

	private static List<Window> windows(long... okPerSecond) {
		return Arrays.stream(okPerSecond).mapToObj((ok) -> new Window(1.0, ok, 0)).toList();
	}

}
