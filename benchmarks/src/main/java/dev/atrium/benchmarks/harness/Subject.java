package dev.atrium.benchmarks.harness;

import dev.atrium.benchmarks.load.McpEndpoint;
import dev.atrium.benchmarks.load.McpLoadClient;
import dev.atrium.benchmarks.load.McpMessages;
import tools.jackson.databind.JsonNode;

/**
 * One path to the upstream's {@code echo} tool: straight, through nginx, through the
 * plain gateway, through Atrium.
 *
 * @param name how the report names it
 * @param endpoint its MCP endpoint, with the session its initialize opened
 * @param tool the name it exposes the echo tool under
 */
record Subject(String name, McpEndpoint endpoint, String tool) {

	/**
	 * Opens a session and checks one {@code tools/call} through this path: the result
	 * must carry the message back.
	 * @return the subject with its session, and the text it answered
	 */
	Verified verify() {
		Subject initialized = new Subject(this.name, this.endpoint.initialize(), this.tool);
		JsonNode answer = initialized.endpoint().request(McpMessages.echo(this.tool));
		String text = answer.path("result").path("content").path(0).path("text").asString(null);
		if (!McpMessages.ECHO_MESSAGE.equals(text) || answer.path("result").path("isError").asBoolean(true)) {
			throw new IllegalStateException(this.name + ": tools/call " + this.tool + " answered " + answer);
		}
		return new Verified(initialized, text);
	}

	McpLoadClient echoClient(int maxConnections) {
		return new McpLoadClient(this.endpoint, McpMessages.echo(this.tool), McpMessages.ECHO_MESSAGE, maxConnections);
	}

	/** A subject whose path answered correctly, with the text it answered. */
	record Verified(Subject subject, String answered) {

	}

}
