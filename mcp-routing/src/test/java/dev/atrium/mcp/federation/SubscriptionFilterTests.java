package dev.atrium.mcp.federation;

import java.util.List;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SubscriptionFilterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theFilterIsReadFromTheRequest() {
		SubscriptionFilter filter = SubscriptionFilter.of(listen(
				"{\"toolsListChanged\":true,\"promptsListChanged\":false,\"resourceSubscriptions\":[\"a://x\",\"a://x\"]}"));
		assertThat(filter).isEqualTo(new SubscriptionFilter(true, false, false, List.of("a://x")));
	}

	@Test
	void aRequestWithoutNotificationsIsInvalidParams() {
		JsonRpcMessage request = JsonRpcCodec.request(new IntNode(1), McpMethods.SUBSCRIPTIONS_LISTEN,
				JsonRpcCodec.object());
		assertThatExceptionOfType(JsonRpcException.class).isThrownBy(() -> SubscriptionFilter.of(request))
			.satisfies((ex) -> assertThat(ex.error().code()).isEqualTo(-32602));
	}

	@Test
	void resourceSubscriptionsThatAreNotURIsAreInvalidParams() {
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(() -> SubscriptionFilter.of(listen("{\"resourceSubscriptions\":[1]}")));
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(() -> SubscriptionFilter.of(listen("{\"resourceSubscriptions\":\"a://x\"}")));
		assertThatExceptionOfType(JsonRpcException.class)
			.isThrownBy(() -> SubscriptionFilter.of(listen("{\"toolsListChanged\":\"yes\"}")));
	}

	@Test
	void onlyTheTypesAskedForAreAdmitted() {
		SubscriptionFilter filter = new SubscriptionFilter(true, false, false, List.of("a://x"));
		assertThat(filter.admits(notification(McpMethods.TOOLS_LIST_CHANGED, null))).isTrue();
		assertThat(filter.admits(notification(McpMethods.PROMPTS_LIST_CHANGED, null))).isFalse();
		assertThat(filter.admits(notification(McpMethods.RESOURCES_LIST_CHANGED, null))).isFalse();
		assertThat(filter.admits(notification(McpMethods.MESSAGE, null))).isFalse();
		assertThat(filter.admits(notification(McpMethods.RESOURCES_UPDATED, "a://x"))).isTrue();
		assertThat(filter.admits(notification(McpMethods.RESOURCES_UPDATED, "a://x/part"))).isTrue();
		assertThat(filter.admits(notification(McpMethods.RESOURCES_UPDATED, "a://xy"))).isFalse();
		assertThat(filter.admits(notification(McpMethods.RESOURCES_UPDATED, "a://y"))).isFalse();
	}

	@Test
	void theFilterIsWrittenWithoutWhatWasNotAskedFor() {
		assertThat(new SubscriptionFilter(false, true, false, List.of()).toJson().toString())
			.isEqualTo("{\"promptsListChanged\":true}");
	}

	private static JsonRpcMessage listen(String notifications) {
		ObjectNode params = JsonRpcCodec.object();
		params.set("notifications", JSON.readTree(notifications));
		return JsonRpcCodec.request(new IntNode(1), McpMethods.SUBSCRIPTIONS_LISTEN, params);
	}

	private static JsonRpcMessage notification(String method, String uri) {
		ObjectNode params = JsonRpcCodec.object();
		if (uri != null) {
			params.put("uri", uri);
		}
		return JsonRpcCodec.notification(method, params);
	}

}
