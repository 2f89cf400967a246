package dev.atrium.mcp.federation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NameMapperTests {

	private static final NameMapper.TargetNames WEATHER = new NameMapper.TargetNames("weather", "weather",
			List.of("forecast", "search"));

	private static final NameMapper.TargetNames DOCS = new NameMapper.TargetNames("docs", "kb",
			List.of("search", "read"));

	@Test
	void alwaysPrefixesEveryNameWithThreeUnderscores() {
		NameTable table = new NameMapper(NamingMode.ALWAYS, 64).map(List.of(WEATHER, DOCS));
		assertThat(table.resolve("weather___forecast")).contains(new QualifiedName("weather", "forecast"));
		assertThat(table.resolve("kb___search")).contains(new QualifiedName("docs", "search"));
		assertThat(table.resolve("forecast")).isEmpty();
		assertThat(table.size()).isEqualTo(4);
	}

	@Test
	void onCollisionPrefixesOnlyTheSharedNames() {
		NameTable table = new NameMapper(NamingMode.ON_COLLISION, 64).map(List.of(WEATHER, DOCS));
		assertThat(table.resolve("forecast")).contains(new QualifiedName("weather", "forecast"));
		assertThat(table.resolve("read")).contains(new QualifiedName("docs", "read"));
		assertThat(table.resolve("weather___search")).contains(new QualifiedName("weather", "search"));
		assertThat(table.resolve("kb___search")).contains(new QualifiedName("docs", "search"));
		assertThat(table.resolve("search")).isEmpty();
	}

	@Test
	void unlessSingleTargetLeavesALoneTargetsNamesAlone() {
		NameMapper mapper = new NameMapper(NamingMode.UNLESS_SINGLE_TARGET, 64);
		assertThat(mapper.map(List.of(WEATHER)).resolve("forecast")).isPresent();
		assertThat(mapper.map(List.of(WEATHER, DOCS)).resolve("weather___forecast")).isPresent();
	}

	@Test
	void longNamesAreShortenedWithAHashAndStayUnique() {
		String common = "a_very_long_tool_name_that_shares_its_first_sixty_characters_";
		NameMapper.TargetNames target = new NameMapper.TargetNames("t", "t",
				List.of(common + "alpha", common + "beta", "short"));
		NameTable table = new NameMapper(NamingMode.ALWAYS, 32).map(List.of(target));
		String alpha = table.exposed(new QualifiedName("t", common + "alpha"));
		String beta = table.exposed(new QualifiedName("t", common + "beta"));
		assertThat(alpha).hasSize(32).startsWith("t___a_very_long").isNotEqualTo(beta);
		assertThat(beta).hasSize(32);
		assertThat(table.resolve(alpha)).contains(new QualifiedName("t", common + "alpha"));
		assertThat(table.exposed(new QualifiedName("t", "short"))).isEqualTo("t___short");
	}

	@Test
	void aShortenedNameNeverTakesAnExistingOne() {
		NameMapper mapper = new NameMapper(NamingMode.ON_COLLISION, 16);
		// "b" prefixed and shortened must not collide with names listed by others.
		List<NameMapper.TargetNames> targets = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			targets.add(new NameMapper.TargetNames("t" + i, "t" + i, List.of("same_name_everywhere_long", "own" + i)));
		}
		NameTable table = mapper.map(targets);
		Set<String> exposed = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			String name = table.exposed(new QualifiedName("t" + i, "same_name_everywhere_long"));
			assertThat(name).hasSizeLessThanOrEqualTo(16);
			assertThat(exposed.add(name)).as("unique: %s", name).isTrue();
			assertThat(exposed.add(table.exposed(new QualifiedName("t" + i, "own" + i)))).isTrue();
		}
		assertThat(table.size()).isEqualTo(100);
	}

	@Test
	void theSameCatalogsAlwaysGiveTheSameNames() {
		NameMapper mapper = new NameMapper(NamingMode.ALWAYS, 20);
		NameMapper.TargetNames target = new NameMapper.TargetNames("t", "target", List.of("x".repeat(40)));
		assertThat(mapper.map(List.of(target)).exposed(new QualifiedName("t", "x".repeat(40))))
			.isEqualTo(mapper.map(List.of(target)).exposed(new QualifiedName("t", "x".repeat(40))));
	}

	@Test
	void aTooSmallMaximumIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new NameMapper(NamingMode.ALWAYS, 8))
			.withMessage("max name length must be at least 16, was 8");
	}

}
