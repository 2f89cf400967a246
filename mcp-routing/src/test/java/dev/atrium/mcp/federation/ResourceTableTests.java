package dev.atrium.mcp.federation;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceTableTests {

	@Test
	void uniqueUrisKeepTheirForm() {
		ResourceTable table = ResourceTable
			.build(List.of(new ResourceTable.TargetResources("a", "a", List.of("file:///a.txt"), List.of()),
					new ResourceTable.TargetResources("b", "b", List.of("file:///b.txt"), List.of())));
		assertThat(table.exposedUri(new QualifiedName("a", "file:///a.txt"))).isEqualTo("file:///a.txt");
		assertThat(table.resolve("file:///b.txt")).contains(new QualifiedName("b", "file:///b.txt"));
	}

	@Test
	void aUriListedByTwoTargetsGetsEachTargetsPrefix() {
		ResourceTable table = ResourceTable
			.build(List.of(new ResourceTable.TargetResources("a", "a", List.of("config://app"), List.of()),
					new ResourceTable.TargetResources("b", "kb", List.of("config://app"), List.of())));
		assertThat(table.exposedUri(new QualifiedName("a", "config://app"))).isEqualTo("a+config://app");
		assertThat(table.exposedUri(new QualifiedName("b", "config://app"))).isEqualTo("kb+config://app");
		assertThat(table.resolve("kb+config://app")).contains(new QualifiedName("b", "config://app"));
		assertThat(table.resolve("config://app")).isEmpty();
	}

	@Test
	void templatesRouteTheUrisTheyMatch() {
		ResourceTable table = ResourceTable
			.build(List.of(new ResourceTable.TargetResources("a", "a", List.of(), List.of("notes://{id}")),
					new ResourceTable.TargetResources("b", "b", List.of(), List.of("files://{+path}"))));
		assertThat(table.resolve("notes://42")).contains(new QualifiedName("a", "notes://42"));
		assertThat(table.resolve("files://dir/sub/x.txt")).contains(new QualifiedName("b", "files://dir/sub/x.txt"));
		assertThat(table.resolve("notes://42/extra")).isEmpty();
		assertThat(table.resolve("other://x")).isEmpty();
	}

	@Test
	void aLoneTargetWithResourcesServesUnlistedUris() {
		ResourceTable table = ResourceTable
			.build(List.of(new ResourceTable.TargetResources("a", "a", List.of("demo://readme"), List.of()),
					new ResourceTable.TargetResources("b", "b", List.of(), List.of())));
		assertThat(table.resolve("demo://linked/7")).contains(new QualifiedName("a", "demo://linked/7"));
	}

	@Test
	void templateExpressionsBecomeWildcards() {
		assertThat(ResourceTable.toPattern("a://{x}/b{?q,r}").matcher("a://1/b?q=2&r=3").matches()).isTrue();
		assertThat(ResourceTable.toPattern("a://{x}").matcher("a://1/2").matches()).isFalse();
		assertThat(ResourceTable.toPattern("a.b://{x}").matcher("aXb://1").matches()).isFalse();
	}

	@Test
	void anUpdatedResourceIsNamedByTheUriTheClientKnows() {
		ResourceTable table = ResourceTable.build(List.of(
				new ResourceTable.TargetResources("a", "a", List.of("config://app", "file:///a.txt"),
						List.of("notes://{id}")),
				new ResourceTable.TargetResources("b", "kb", List.of("config://app"), List.of("notes://{id}"))));
		assertThat(table.exposedUriOf("a", "file:///a.txt")).isEqualTo("file:///a.txt");
		assertThat(table.exposedUriOf("b", "config://app")).isEqualTo("kb+config://app");
		// Read through a template both targets list: prefixed, as the client reads it.
		assertThat(table.exposedUriOf("b", "notes://7")).isEqualTo("kb+notes://7");
		assertThat(table.resolve("kb+notes://7")).contains(new QualifiedName("b", "notes://7"));
	}

}
