package dev.atrium.mcp.federation;

import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

class TaskIdsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void anIdNamesTheTargetRegionAndTheTargetsOwnTaskId() {
		String id = TaskIds.encode("crm", "eu-west-1", "786512e2");

		assertThat(id).startsWith("task.");
		ServerRequestIds.Origin origin = TaskIds.decode(StringNode.valueOf(id)).orElseThrow();
		assertThat(origin.target()).isEqualTo("crm");
		assertThat(origin.region()).isEqualTo("eu-west-1");
		assertThat(origin.id().asString()).isEqualTo("786512e2");
	}

	@Test
	void idsAtriumDidNotGiveAreUnknown() {
		assertThat(TaskIds.decode(StringNode.valueOf("786512e2"))).isEmpty();
		assertThat(TaskIds.decode(StringNode.valueOf("task.not-base64!"))).isEmpty();
		assertThat(TaskIds.decode(StringNode.valueOf(ServerRequestIds.encode("crm", null, StringNode.valueOf("x")))))
			.as("a server request's id is not a task's")
			.isEmpty();
		assertThat(TaskIds.decode(null)).isEmpty();
	}

	@Test
	void theTaskATaskAugmentedCallCreatedGetsAnAtriumId() {
		JsonRpcMessage created = message("""
				{"jsonrpc":"2.0","id":1,"result":{"task":{"taskId":"t-1","status":"working"}}}""");

		JsonNode result = TaskIds.toClient(created, "tools/call", "crm", null).node().get("result");

		assertThat(originOf(result.get("task").get("taskId")).id().asString()).isEqualTo("t-1");
	}

	@Test
	void theResultsOfGetCancelAndListCarryAtriumIds() {
		JsonNode got = TaskIds.toClient(message("""
				{"jsonrpc":"2.0","id":2,"result":{"taskId":"t-1","status":"completed"}}"""), "tasks/get", "crm", null)
			.node();
		JsonNode listed = TaskIds
			.toClient(message("""
					{"jsonrpc":"2.0","id":3,"result":{"tasks":[{"taskId":"t-1"},{"taskId":"t-2"}]}}"""), "tasks/list",
					"crm", null)
			.node();

		assertThat(originOf(got.get("result").get("taskId")).target()).isEqualTo("crm");
		assertThat(listed.get("result").get("tasks"))
			.allSatisfy((task) -> assertThat(originOf(task.get("taskId")).id().asString()).isIn("t-1", "t-2"));
	}

	@Test
	void aToolResultWithAMemberNamedTaskIdIsLeftAlone() {
		JsonRpcMessage answer = message("""
				{"jsonrpc":"2.0","id":4,"result":{"taskId":"not-a-task","content":[]}}""");

		assertThat(TaskIds.toClient(answer, "tools/call", "crm", null).node().get("result").get("taskId").asString())
			.isEqualTo("not-a-task");
	}

	@Test
	void statusNotificationsAndRelatedTaskMetadataCarryAtriumIds() {
		JsonNode status = TaskIds.toClient(
				message("""
						{"jsonrpc":"2.0","method":"notifications/tasks/status","params":{"taskId":"t-1","status":"working"}}"""),
				"tasks/result", "crm", "us-east-1")
			.node();
		JsonNode elicitation = TaskIds
			.toClient(message("""
					{"jsonrpc":"2.0","id":9,"method":"elicitation/create","params":{"message":"Which?",
					 "_meta":{"io.modelcontextprotocol/related-task":{"taskId":"t-1"}}}}"""), "tasks/result", "crm",
					"us-east-1")
			.node();

		assertThat(originOf(status.get("params").get("taskId")).region()).isEqualTo("us-east-1");
		String related = elicitation.get("params").get("_meta").get(TaskIds.RELATED_TASK).get("taskId").asString();
		assertThat(related).startsWith("task.");

		JsonRpcMessage answer = message("""
				{"jsonrpc":"2.0","id":"srv.x","result":{"action":"accept",
				 "_meta":{"io.modelcontextprotocol/related-task":{"taskId":"%s"}}}}""".formatted(related));
		assertThat(TaskIds.fromClient(answer)
			.node()
			.get("result")
			.get("_meta")
			.get(TaskIds.RELATED_TASK)
			.get("taskId")
			.asString()).isEqualTo("t-1");
	}

	@Test
	void messagesWithoutTasksAreNotCopied() {
		JsonRpcMessage progress = message("""
				{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"p","progress":1}}""");

		assertThat(TaskIds.toClient(progress, "tools/call", "crm", null)).isSameAs(progress);
		assertThat(TaskIds.fromClient(progress)).isSameAs(progress);
	}

	private static ServerRequestIds.Origin originOf(JsonNode id) {
		return TaskIds.decode(id).orElseThrow();
	}

	private static JsonRpcMessage message(String json) {
		return new JsonRpcMessage((ObjectNode) JSON.readTree(json));
	}

}
