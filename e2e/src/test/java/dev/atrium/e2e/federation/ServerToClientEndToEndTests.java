package dev.atrium.e2e.federation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkClients;
import dev.atrium.e2e.support.ServerEverything;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a target asks of the client while it works reaches the client through Atrium, and
 * the client's answer reaches the target: the official reference server
 * ({@code server-everything}), whose tools ask for sampling and elicitation and report
 * progress, behind Atrium, used by the MCP Java SDK's client, which answers them.
 */
class ServerToClientEndToEndTests {

	static ServerEverything everything;

	static AtriumInstance atrium;

	final List<McpSchema.CreateMessageRequest> samplingRequests = new CopyOnWriteArrayList<>();

	final List<McpSchema.ElicitFormRequest> elicitations = new CopyOnWriteArrayList<>();

	final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

	McpSyncClient client;

	@BeforeAll
	static void start() {
		everything = ServerEverything.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets.everything.url", everything.mcpUrl(),
				"atrium.scenarios.internal.path", "/internal", "atrium.scenarios.internal.targets", "everything"));
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (everything != null) {
			everything.close();
		}
	}

	@BeforeEach
	void connect() {
		Duration timeout = Duration.ofSeconds(30);
		this.client = McpClient.sync(JavaSdkClients.transport(atrium.mcpUrl("/internal"), Map.of(), timeout))
			.clientInfo(McpSchema.Implementation.builder("atrium-e2e-answering-client", "1.0.0").build())
			.requestTimeout(timeout)
			.initializationTimeout(timeout)
			.capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().build())
			.sampling((request) -> {
				this.samplingRequests.add(request);
				return McpSchema.CreateMessageResult
					.builder(McpSchema.Role.ASSISTANT, new McpSchema.TextContent("the model says hello"), "test-model")
					.build();
			})
			.elicitation((request) -> {
				this.elicitations.add(request);
				return McpSchema.ElicitResult.builder(McpSchema.ElicitResult.Action.ACCEPT)
					.content(Map.of("name", "Ada Lovelace", "check", true))
					.build();
			})
			.progressConsumer(this.progress::add)
			.build();
		this.client.initialize();
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void aSamplingRequestOfATargetIsAnsweredByTheClient() {
		McpSchema.CallToolResult result = JavaSdkClients.callTool(this.client, "everything___trigger-sampling-request",
				Map.of("prompt", "Say hello", "maxTokens", 20));
		assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
		assertThat(JavaSdkClients.text(result)).contains("the model says hello").contains("test-model");
		assertThat(this.samplingRequests).singleElement()
			.satisfies((request) -> assertThat(request.messages().get(0).content().toString()).contains("Say hello"));
	}

	@Test
	void anElicitationOfATargetIsAnsweredByTheClient() {
		McpSchema.CallToolResult result = JavaSdkClients.callTool(this.client,
				"everything___trigger-elicitation-request", Map.of());
		assertThat(JavaSdkClients.text(result)).contains("User provided the requested information");
		assertThat(result.content().toString()).contains("Name: Ada Lovelace").contains("Agreed to terms: true");
		assertThat(this.elicitations).singleElement()
			.satisfies((request) -> assertThat(request.message()).contains("Please provide inputs"));
	}

	@Test
	void progressOfALongOperationReachesTheClientWithItsToken() {
		McpSchema.CallToolResult result = this.client
			.callTool(McpSchema.CallToolRequest.builder("everything___trigger-long-running-operation")
				.arguments(Map.of("duration", 1, "steps", 3))
				.progressToken("atrium-progress-1")
				.build());
		assertThat(JavaSdkClients.text(result)).contains("Long running operation completed");
		assertThat(this.progress).hasSize(3)
			.allSatisfy((notification) -> assertThat(notification.progressToken()).isEqualTo("atrium-progress-1"));
		assertThat(this.progress).extracting(McpSchema.ProgressNotification::progress).containsExactly(1.0, 2.0, 3.0);
	}

	@Test
	void aCompletionIsRoutedToTheTargetOfThePromptItCompletes() {
		McpSchema.CompleteResult result = this.client.completeCompletion(
				new McpSchema.CompleteRequest(new McpSchema.PromptReference("everything___completable-prompt"),
						new McpSchema.CompleteRequest.CompleteArgument("department", "E")));
		assertThat(result.completion().values()).containsExactly("Engineering");
	}

	@Test
	void aLoggingLevelIsTakenAndPassedOnToTheTargets() {
		this.client.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
		assertThat(this.client.getServerCapabilities().logging()).isNotNull();
	}

}
