package dev.atrium.mcp.federation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

class TaskListCursorTests {

	@Test
	void withoutACursorEveryTargetThatListsTasksIsAskedForItsFirstPage() {
		Map<String, String> cursors = TaskListCursor.decode(null, List.of("crm", "search")).orElseThrow();

		assertThat(cursors).containsOnlyKeys("crm", "search");
		assertThat(cursors.values()).containsOnlyNulls();
	}

	@Test
	void theNextCursorAsksOnlyTheTargetsWithMoreEachWithItsOwnCursor() {
		Map<String, String> next = new LinkedHashMap<>();
		next.put("search", "page-2");

		String cursor = TaskListCursor.encode(next);

		assertThat(TaskListCursor.decode(StringNode.valueOf(cursor), List.of("crm", "search")).orElseThrow())
			.containsExactly(Map.entry("search", "page-2"));
	}

	@Test
	void aCursorAtriumDidNotGiveOrForATargetThatNoLongerListsIsInvalid() {
		String forSearch = TaskListCursor.encode(Map.of("search", "page-2"));

		assertThat(TaskListCursor.decode(StringNode.valueOf(forSearch), List.of("crm"))).isEmpty();
		assertThat(TaskListCursor.decode(StringNode.valueOf("not a cursor"), List.of("crm"))).isEmpty();
		assertThat(TaskListCursor.decode(IntNode.valueOf(3), List.of("crm"))).isEmpty();
	}

}
