package dev.atrium.policy.permission;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class PermissionsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final ObjectNode READER = tool("get_weather", "{\"readOnlyHint\":true}");

	private static final ObjectNode ADDER = tool("create_ticket", "{\"readOnlyHint\":false,\"destructiveHint\":false}");

	private static final ObjectNode DELETER = tool("drop_table", "{\"destructiveHint\":true}");

	private static final ObjectNode UNANNOTATED = tool("run", null);

	@Test
	void eachLevelAdmitsWhatItsAnnotationsSay() {
		assertThat(admitted(PermissionLevel.NONE)).isEmpty();
		assertThat(admitted(PermissionLevel.READ_ONLY)).containsExactly("get_weather");
		assertThat(admitted(PermissionLevel.LIMITED_WRITE)).containsExactly("get_weather", "create_ticket");
		assertThat(admitted(PermissionLevel.FULL)).containsExactly("get_weather", "create_ticket", "drop_table", "run");
	}

	@Test
	void aListReplacesTheAnnotationsOfAnUntrustedTarget() {
		TargetPermission listed = new TargetPermission(PermissionLevel.READ_ONLY, Set.of("run"));
		assertThat(listed.admits(UNANNOTATED, PermissionLevel.FULL)).isTrue();
		assertThat(listed.admits(READER, PermissionLevel.FULL)).isFalse();
	}

	@Test
	void aCallersScopesCapTheTargetsLevel() {
		ScenarioPermissions permissions = new ScenarioPermissions(PermissionLevel.FULL, Map.of(),
				ScenarioPermissions.seedScopeLevels());
		PermissionLevel limited = permissions.cap(true, Set.of("mcp:read", "mcp:write:limited"));
		assertThat(limited).isEqualTo(PermissionLevel.LIMITED_WRITE);
		assertThat(permissions.target("any").admits(DELETER, limited)).isFalse();
		assertThat(permissions.target("any").admits(ADDER, limited)).isTrue();
		assertThat(permissions.cap(true, Set.of("mcp:write"))).isEqualTo(PermissionLevel.FULL);
		assertThat(permissions.cap(true, Set.of("openid"))).isEqualTo(PermissionLevel.NONE);
		assertThat(permissions.cap(false, Set.of())).isEqualTo(PermissionLevel.FULL);
	}

	@Test
	void targetsNotListedGetTheDefaultLevel() {
		ScenarioPermissions permissions = new ScenarioPermissions(PermissionLevel.LIMITED_WRITE,
				Map.of("dev", new TargetPermission(PermissionLevel.NONE, Set.of())), Map.of());
		assertThat(permissions.target("dev").level()).isEqualTo(PermissionLevel.NONE);
		assertThat(permissions.target("database").level()).isEqualTo(PermissionLevel.LIMITED_WRITE);
	}

	@Test
	void operationRulesFollowTheSeedsThirdPartyControls() {
		OperationRules rules = new OperationRules(java.util.List.of("tools/list", "tools/call", "resources/read"),
				java.util.List.of("admin/*", "config/*", "debug/*"));
		assertThat(rules.permits("tools/call")).isTrue();
		assertThat(rules.permits("initialize")).isTrue();
		assertThat(rules.permits("ping")).isTrue();
		assertThat(rules.permits("server/discover")).isTrue();
		assertThat(rules.permits("prompts/get")).isFalse();
		assertThat(rules.permits("admin/users")).isFalse();
		assertThat(new OperationRules(java.util.List.of(), java.util.List.of("debug/*")).permits("debug/dump"))
			.isFalse();
		assertThat(OperationRules.ALL.permits("anything/at-all")).isTrue();
		assertThat(OperationRules.ALL.restrictsAny()).isFalse();
	}

	private static java.util.List<String> admitted(PermissionLevel level) {
		TargetPermission permission = new TargetPermission(level, Set.of());
		return java.util.stream.Stream.of(READER, ADDER, DELETER, UNANNOTATED)
			.filter((tool) -> permission.admits(tool, PermissionLevel.FULL))
			.map((tool) -> tool.path("name").asString())
			.toList();
	}

	private static ObjectNode tool(String name, String annotations) {
		ObjectNode tool = JSON.createObjectNode();
		tool.put("name", name);
		if (annotations != null) {
			tool.set("annotations", JSON.readTree(annotations));
		}
		return tool;
	}

}
