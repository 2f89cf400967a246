package dev.atrium.mcp.protocol;

/**
 * The MCP method names that Atrium itself looks at.
 */
public final class McpMethods {

	public static final String INITIALIZE = "initialize";

	public static final String INITIALIZED = "notifications/initialized";

	public static final String PING = "ping";

	/** What a 2026-07-28 server supports and is, asked without a session. */
	public static final String SERVER_DISCOVER = "server/discover";

	/**
	 * A 2026-07-28 client's long-lived stream of the change notifications it opted in to
	 * (in place of the standalone {@code GET} stream and {@code resources/subscribe}).
	 */
	public static final String SUBSCRIPTIONS_LISTEN = "subscriptions/listen";

	/** The first message of a {@code subscriptions/listen} stream. */
	public static final String SUBSCRIPTIONS_ACKNOWLEDGED = "notifications/subscriptions/acknowledged";

	public static final String TOOLS_LIST = "tools/list";

	public static final String TOOLS_CALL = "tools/call";

	public static final String PROMPTS_LIST = "prompts/list";

	public static final String PROMPTS_GET = "prompts/get";

	public static final String RESOURCES_LIST = "resources/list";

	public static final String RESOURCES_TEMPLATES_LIST = "resources/templates/list";

	public static final String RESOURCES_READ = "resources/read";

	public static final String RESOURCES_SUBSCRIBE = "resources/subscribe";

	public static final String RESOURCES_UNSUBSCRIBE = "resources/unsubscribe";

	public static final String LOGGING_SET_LEVEL = "logging/setLevel";

	public static final String COMPLETION_COMPLETE = "completion/complete";

	public static final String TASKS_GET = "tasks/get";

	public static final String TASKS_RESULT = "tasks/result";

	public static final String TASKS_LIST = "tasks/list";

	public static final String TASKS_CANCEL = "tasks/cancel";

	public static final String TASKS_STATUS = "notifications/tasks/status";

	public static final String CANCELLED = "notifications/cancelled";

	public static final String PROGRESS = "notifications/progress";

	public static final String MESSAGE = "notifications/message";

	/** A server asks the client for input from its user. */
	public static final String ELICITATION_CREATE = "elicitation/create";

	/** A server asks the client for a completion from its model. */
	public static final String SAMPLING_CREATE_MESSAGE = "sampling/createMessage";

	/** A server asks the client for its roots. */
	public static final String ROOTS_LIST = "roots/list";

	public static final String ROOTS_LIST_CHANGED = "notifications/roots/list_changed";

	public static final String TOOLS_LIST_CHANGED = "notifications/tools/list_changed";

	public static final String PROMPTS_LIST_CHANGED = "notifications/prompts/list_changed";

	public static final String RESOURCES_LIST_CHANGED = "notifications/resources/list_changed";

	public static final String RESOURCES_UPDATED = "notifications/resources/updated";

	private McpMethods() {
	}

}
