package dev.atrium.mcp.agentcore;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The invocations URL of a runtime, as AgentCore's documentation writes it for MCP
 * servers: the ARN URL-encoded as one path segment, the qualifier as a query parameter.
 */
class AgentCoreRuntimeTests {

	private static final String ARN = "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/mcp_server-AbC12dEf3G";

	@Test
	void theUrlIsTheRegionalEndpointWithTheEncodedArnAndTheDefaultQualifier() {
		AgentCoreRuntime runtime = new AgentCoreRuntime(ARN, null, null, null);

		assertThat(runtime.region()).isEqualTo("us-west-2");
		assertThat(runtime.invocationsUri()).hasToString("https://bedrock-agentcore.us-west-2.amazonaws.com/runtimes/"
				+ "arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fmcp_server-AbC12dEf3G"
				+ "/invocations?qualifier=DEFAULT");
	}

	@Test
	void aRegionQualifierAndEndpointGivenWin() {
		AgentCoreRuntime runtime = new AgentCoreRuntime(ARN, "eu-west-1", "prod endpoint",
				URI.create("http://127.0.0.1:8443/"));

		assertThat(runtime.invocationsUri()).hasToString("http://127.0.0.1:8443/runtimes/"
				+ "arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fmcp_server-AbC12dEf3G"
				+ "/invocations?qualifier=prod%20endpoint");
		assertThat(runtime.invocationsUri().getRawPath()).as("one path segment for the ARN")
			.startsWith("/runtimes/arn%3A")
			.doesNotContain("runtime/mcp");
	}

	@Test
	void somethingThatIsNotARuntimeArnIsRefusedWithTheExpectedShape() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new AgentCoreRuntime("arn:aws:lambda:us-east-1:123456789012:function:f", null, null, null))
			.withMessageContaining("is not an AgentCore runtime ARN");
	}

	@Test
	void sessionIdsAreStablePerCallerAndTargetDistinctOtherwiseAndLongEnough() {
		RuntimeSessionIds ids = new RuntimeSessionIds("k".repeat(32).getBytes());
		String alice = ids.of("https://issuer|alice", "weather");

		assertThat(alice).hasSize(64).matches("[0-9a-f]+");
		assertThat(ids.of("https://issuer|alice", "weather")).isEqualTo(alice);
		assertThat(ids.of("https://issuer|bob", "weather")).isNotEqualTo(alice);
		assertThat(ids.of("https://issuer|alice", "maps")).isNotEqualTo(alice);
		assertThat(new RuntimeSessionIds("x".repeat(32).getBytes()).of("https://issuer|alice", "weather"))
			.as("another key, another id")
			.isNotEqualTo(alice);
	}

}
