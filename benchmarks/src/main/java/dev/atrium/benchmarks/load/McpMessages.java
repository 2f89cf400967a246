package dev.atrium.benchmarks.load;

/** The JSON-RPC messages the benchmarks send, as text. */
public final class McpMessages {

	public static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

	/** What {@link #echo} sends, and what a correct answer carries back. */
	public static final String ECHO_MESSAGE = "atrium-bench-echo-0123456789";

	private McpMessages() {
	}

	public static String initialize(String clientName) {
		return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
				+ McpEndpoint.PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"" + clientName
				+ "\",\"version\":\"1\"}}}";
	}

	/** A {@code tools/call} of an echo tool by the name the endpoint exposes it under. */
	public static String echo(String toolName) {
		return "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"" + toolName
				+ "\",\"arguments\":{\"message\":\"" + ECHO_MESSAGE + "\"}}}";
	}

	/** A {@code tools/call} of the upstream's streaming tool. */
	public static String slow(String toolName, int seconds, int intervalMs) {
		return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + toolName
				+ "\",\"arguments\":{\"seconds\":" + seconds + ",\"intervalMs\":" + intervalMs
				+ "},\"_meta\":{\"progressToken\":\"bench\"}}}";
	}

	public static String toolsList(String cursor) {
		return "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":{"
				+ ((cursor != null) ? "\"cursor\":\"" + cursor + "\"" : "") + "}}";
	}

}
