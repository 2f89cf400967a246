package dev.atrium.mcp.federation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.mcp.catalog.TargetCatalog;
import dev.atrium.mcp.catalog.TargetHealth;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FederatedCatalogTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	@Test
	void toolsOfAllTargetsAreMergedInTargetOrderWithTheirPrefixes() {
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a", "b"),
				health(up("a", 2), up("b", 1)));
		assertThat(names(catalog.page("tools", null, 100), "tools")).containsExactly("a___tool0", "a___tool1",
				"b___tool0");
		assertThat(catalog.capabilities().has("tools")).isTrue();
		assertThat(catalog.capabilities().has("prompts")).isFalse();
	}

	@Test
	void listChangedAndSubscribeAreAnnouncedWhenATargetHasThem() {
		TargetHealth plain = up("a", 1);
		TargetHealth announcing = up("b", 1);
		ObjectNode capabilities = announcing.catalog().capabilities();
		capabilities.putObject("tools").put("listChanged", true);
		capabilities.putObject("resources").put("subscribe", true).put("listChanged", false);
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a", "b"),
				health(plain, announcing));
		assertThat(catalog.capabilities().path("tools").path("listChanged").asBoolean()).isTrue();
		assertThat(catalog.capabilities().path("resources").path("subscribe").asBoolean()).isTrue();
		assertThat(catalog.capabilities().path("resources").has("listChanged")).isFalse();
		FederatedCatalog without = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a"), health(plain));
		assertThat(without.capabilities().path("tools").has("listChanged")).isFalse();
	}

	@Test
	void theMergedListIsPagedWithOpaqueCursorsToTheEnd() {
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 4, "a", "b"),
				health(up("a", 6), up("b", 5)));
		List<String> all = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			ObjectNode page = catalog.page("tools", cursor, 4);
			all.addAll(names(page, "tools"));
			cursor = page.has("nextCursor") ? page.get("nextCursor").asString() : null;
			pages++;
		}
		while (cursor != null);
		assertThat(pages).isEqualTo(3);
		assertThat(all).hasSize(11).doesNotHaveDuplicates();
	}

	@Test
	void aCursorFromAnotherVersionOfTheListIsRefused() {
		FederatedCatalog before = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 2, "a"), health(up("a", 5)));
		String cursor = before.page("tools", null, 2).get("nextCursor").asString();
		FederatedCatalog after = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 2, "a"), health(up("a", 6)));
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> after.page("tools", cursor, 2))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(JsonRpcError.INVALID_PARAMS))
			.withMessageContaining("list again");
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> after.page("tools", "garbage", 2))
			.withMessage("Invalid cursor");
	}

	@Test
	void failOpenListsTheOthersAndNamesTheFailingTarget() {
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a", "b"),
				health(up("a", 1), down("b")));
		assertThat(names(catalog.page("tools", null, 100), "tools")).containsExactly("a___tool0");
		assertThat(catalog.failures()).containsOnlyKeys("b");
	}

	@Test
	void failClosedRefusesTheListWhileATargetIsDown() {
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.CLOSED, 100, "a", "b"),
				health(up("a", 1), down("b")));
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> catalog.page("tools", null, 100))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(JsonRpcError.TARGET_UNAVAILABLE))
			.withMessageContaining("b (connection refused)");
	}

	@Test
	void aFailedTargetKeepsItsLastCatalog() {
		TargetHealth stale = new TargetHealth("a", up("a", 2).catalog(), "timed out", NOW);
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a"), health(stale));
		assertThat(names(catalog.page("tools", null, 100), "tools")).hasSize(2);
		assertThat(catalog.failures()).containsEntry("a", "timed out");
	}

	@Test
	void aViewLeavesOutHiddenTargetsAndToolsAsIfTheyWereNotThere() {
		CatalogView view = new CatalogView() {

			@Override
			public String key() {
				return "test";
			}

			@Override
			public boolean admitsTarget(String target) {
				return !target.equals("b");
			}

			@Override
			public boolean admitsTool(String target, ObjectNode tool) {
				return !tool.path("name").asString().equals("tool1");
			}

		};
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.CLOSED, 100, "a", "b", "c"),
				health(up("a", 3), down("b"), up("c", 1)), view);
		assertThat(names(catalog.page("tools", null, 100), "tools")).containsExactly("a___tool0", "a___tool2",
				"c___tool0");
		// The hidden target's failure shows nowhere, and does not close the list.
		assertThat(catalog.failures()).isEmpty();
		assertThat(catalog.toolNames().resolve("a___tool1")).isEmpty();
		assertThat(catalog.toolNames().resolve("a___tool2")).isPresent();
	}

	@Test
	void toolsAnnotatedIdempotentOrReadOnlyAreIdempotentOthersAreNot() {
		TargetHealth a = up("a", 4);
		a.catalog().tools().get(0).putObject("annotations").put("idempotentHint", true);
		a.catalog().tools().get(1).putObject("annotations").put("readOnlyHint", true);
		a.catalog().tools().get(2).putObject("annotations").put("idempotentHint", "true");
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a"), health(a));
		assertThat(catalog.idempotentTool(new QualifiedName("a", "tool0"))).isTrue();
		assertThat(catalog.idempotentTool(new QualifiedName("a", "tool1"))).isTrue();
		assertThat(catalog.idempotentTool(new QualifiedName("a", "tool2"))).isFalse();
		assertThat(catalog.idempotentTool(new QualifiedName("a", "tool3"))).isFalse();
		assertThat(catalog.idempotentTool(new QualifiedName("b", "tool0"))).isFalse();
	}

	@Test
	void tasksAreAnnouncedAsFarAsSomeTargetHasThemAndToolsOfOthersCannotBeCalledAsTasks() {
		TargetHealth tasks = up("a", 1);
		tasks.catalog().capabilities().set("tasks", JsonRpcCodec.object());
		((ObjectNode) tasks.catalog().capabilities().get("tasks")).putObject("list");
		((ObjectNode) tasks.catalog().capabilities().get("tasks")).putObject("requests")
			.putObject("tools")
			.putObject("call");
		tasks.catalog().tools().get(0).putObject("execution").put("taskSupport", "optional");
		TargetHealth none = up("b", 1);
		none.catalog().tools().get(0).putObject("execution").put("taskSupport", "required");

		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a", "b"),
				health(tasks, none));

		JsonNode announced = catalog.capabilities().get("tasks");
		assertThat(announced.has("list")).isTrue();
		assertThat(announced.has("cancel")).as("no target cancels tasks").isFalse();
		assertThat(announced.path("requests").path("tools").has("call")).isTrue();
		assertThat(catalog.targetsListingTasks()).containsExactly("a");
		JsonNode listed = catalog.page("tools", null, 100).get("tools");
		assertThat(listed.get(0).path("execution").path("taskSupport").asString()).isEqualTo("optional");
		assertThat(listed.get(1).path("execution").has("taskSupport")).isFalse();
	}

	@Test
	void withoutATargetThatHasTasksNoneAreAnnounced() {
		FederatedCatalog catalog = FederatedCatalog.build(scenario(FailurePolicy.OPEN, 100, "a"), health(up("a", 1)));

		assertThat(catalog.capabilities().has("tasks")).isFalse();
		assertThat(catalog.targetsListingTasks()).isEmpty();
	}

	private static ScenarioSpec scenario(FailurePolicy policy, int pageSize, String... targets) {
		return new ScenarioSpec("internal",
				java.util.Arrays.stream(targets).map((name) -> new ScenarioSpec.TargetRef(name, name)).toList(),
				NamingMode.ALWAYS, 64, pageSize, policy);
	}

	private static Map<String, TargetHealth> health(TargetHealth... states) {
		Map<String, TargetHealth> health = new LinkedHashMap<>();
		for (TargetHealth state : states) {
			health.put(state.target(), state);
		}
		return health;
	}

	private static TargetHealth up(String target, int tools) {
		List<ObjectNode> items = new ArrayList<>();
		for (int i = 0; i < tools; i++) {
			ObjectNode tool = JsonRpcCodec.object();
			tool.put("name", "tool" + i);
			tool.putObject("inputSchema").put("type", "object");
			items.add(tool);
		}
		ObjectNode capabilities = JsonRpcCodec.object();
		capabilities.putObject("tools");
		TargetCatalog catalog = new TargetCatalog(target, JsonRpcCodec.object(), capabilities, null, items, List.of(),
				List.of(), List.of(), NOW);
		return new TargetHealth(target, catalog, null, NOW);
	}

	private static TargetHealth down(String target) {
		return new TargetHealth(target, null, "connection refused", NOW);
	}

	private static List<String> names(ObjectNode page, String list) {
		List<String> names = new ArrayList<>();
		for (JsonNode item : page.get(list)) {
			names.add(item.get("name").asString());
		}
		return names;
	}

}
