package dev.atrium.mcp.federation;

import java.util.ArrayList;
import java.util.List;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import dev.atrium.mcp.jsonrpc.JsonRpcMessage;
import dev.atrium.mcp.protocol.McpMethods;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a 2026-07-28 client opts in to on a {@code subscriptions/listen} stream
 * ({@code SubscriptionFilter} of that revision's schema): every type is opt-in, and the
 * server must not send one the client did not ask for.
 *
 * @param toolsListChanged {@code notifications/tools/list_changed}
 * @param promptsListChanged {@code notifications/prompts/list_changed}
 * @param resourcesListChanged {@code notifications/resources/list_changed}
 * @param resourceSubscriptions the URIs, as the client knows them, whose
 * {@code notifications/resources/updated} it wants
 */
record SubscriptionFilter(boolean toolsListChanged, boolean promptsListChanged, boolean resourcesListChanged,
		List<String> resourceSubscriptions) {

	SubscriptionFilter {
		resourceSubscriptions = List.copyOf(resourceSubscriptions);
	}

	/**
	 * The filter of a {@code subscriptions/listen} request; {@code -32602} when
	 * {@code notifications} is missing or not of the schema's shape.
	 */
	static SubscriptionFilter of(JsonRpcMessage request) {
		if (!(request.params().get("notifications") instanceof ObjectNode notifications)) {
			throw invalid("params.notifications must be an object");
		}
		JsonNode uris = notifications.get("resourceSubscriptions");
		List<String> subscribed = new ArrayList<>();
		if (uris != null && !uris.isNull()) {
			if (!uris.isArray()) {
				throw invalid("notifications.resourceSubscriptions must be an array of URIs");
			}
			for (JsonNode uri : uris) {
				if (!uri.isString()) {
					throw invalid("notifications.resourceSubscriptions must be an array of URIs");
				}
				if (!subscribed.contains(uri.asString())) {
					subscribed.add(uri.asString());
				}
			}
		}
		return new SubscriptionFilter(flag(notifications, "toolsListChanged"),
				flag(notifications, "promptsListChanged"), flag(notifications, "resourcesListChanged"), subscribed);
	}

	private static boolean flag(ObjectNode notifications, String name) {
		JsonNode flag = notifications.get(name);
		if (flag != null && !flag.isNull() && !flag.isBoolean()) {
			throw invalid("notifications." + name + " must be a boolean");
		}
		return flag != null && flag.asBoolean(false);
	}

	private static JsonRpcException invalid(String why) {
		return new JsonRpcException(JsonRpcError.invalidParams("Invalid params: " + why));
	}

	/**
	 * The part of this filter the virtual server honours (what the acknowledgment says):
	 * a list's changes when some target announces them, the resources that some target
	 * owns and lets subscribe.
	 */
	SubscriptionFilter honouredBy(FederatedCatalog catalog) {
		ObjectNode capabilities = catalog.capabilities();
		boolean subscribable = announces(capabilities, "resources", "subscribe");
		List<String> owned = subscribable ? this.resourceSubscriptions.stream()
			.filter((uri) -> catalog.resourceTable().resolve(uri).isPresent())
			.toList() : List.of();
		return new SubscriptionFilter(this.toolsListChanged && announces(capabilities, "tools", "listChanged"),
				this.promptsListChanged && announces(capabilities, "prompts", "listChanged"),
				this.resourcesListChanged && announces(capabilities, "resources", "listChanged"), owned);
	}

	private static boolean announces(ObjectNode capabilities, String capability, String flag) {
		return capabilities.path(capability).path(flag).asBoolean(false);
	}

	/** Whether a notification is of a type this filter asks for. */
	boolean admits(JsonRpcMessage notification) {
		return switch (notification.method()) {
			case McpMethods.TOOLS_LIST_CHANGED -> this.toolsListChanged;
			case McpMethods.PROMPTS_LIST_CHANGED -> this.promptsListChanged;
			case McpMethods.RESOURCES_LIST_CHANGED -> this.resourcesListChanged;
			case McpMethods.RESOURCES_UPDATED -> subscribedTo(notification.stringParam("uri"));
			default -> false;
		};
	}

	/**
	 * Whether an updated URI is one subscribed to, or below one: an update may name a
	 * sub-resource of the subscribed one (schema,
	 * {@code ResourceUpdatedNotificationParams}).
	 */
	private boolean subscribedTo(String uri) {
		return uri != null && this.resourceSubscriptions.stream()
			.anyMatch((subscribed) -> uri.equals(subscribed) || (uri.startsWith(subscribed)
					&& (subscribed.endsWith("/") || uri.charAt(subscribed.length()) == '/')));
	}

	/** The filter as the schema writes it, the types not asked for left out. */
	ObjectNode toJson() {
		ObjectNode json = JsonRpcCodec.object();
		if (this.toolsListChanged) {
			json.put("toolsListChanged", true);
		}
		if (this.promptsListChanged) {
			json.put("promptsListChanged", true);
		}
		if (this.resourcesListChanged) {
			json.put("resourcesListChanged", true);
		}
		if (!this.resourceSubscriptions.isEmpty()) {
			this.resourceSubscriptions.forEach(json.putArray("resourceSubscriptions")::add);
		}
		return json;
	}

}
