package dev.atrium.mcp.federation;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QualifiedNameTests {

	@Test
	void regularlyNamedToolsOfManyTargetsDoNotShareHashCodes() {
		Set<Integer> hashes = new HashSet<>();
		for (int target = 0; target < 100; target++) {
			for (int tool = 0; tool < 100; tool++) {
				hashes.add(new QualifiedName("t%03d".formatted(target), "tool_%03d".formatted(tool)).hashCode());
			}
		}
		// The record's default hash gave 1,900 distinct values here.
		assertThat(hashes).hasSizeGreaterThan(9_990);
	}

	@Test
	void equalNamesHaveEqualHashCodes() {
		assertThat(new QualifiedName("weather", "forecast")).isEqualTo(new QualifiedName("weather", "forecast"))
			.hasSameHashCodeAs(new QualifiedName("weather", "forecast"));
	}

}
