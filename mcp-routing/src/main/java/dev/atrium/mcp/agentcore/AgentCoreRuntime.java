package dev.atrium.mcp.agentcore;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MCP server hosted on Amazon Bedrock AgentCore Runtime, named by its runtime ARN: its
 * MCP endpoint is the runtime's {@code invocations} URL, in the ARN's region unless told
 * otherwise, at a qualifier (an endpoint of the runtime, {@code DEFAULT} unless told
 * otherwise).
 *
 * @param runtimeArn the runtime's ARN,
 * {@code arn:aws:bedrock-agentcore:{region}:{account}:runtime/{id}}
 * @param region the region to call; the ARN's when {@code null}
 * @param qualifier the runtime endpoint; {@code DEFAULT} when {@code null}
 * @param endpoint the service's base URL, for VPC endpoints and tests;
 * {@code https://bedrock-agentcore.{region}.amazonaws.com} when {@code null}
 */
public record AgentCoreRuntime(String runtimeArn, String region, String qualifier, URI endpoint) {

	/** The SigV4 service name of AgentCore Runtime. */
	public static final String SIGNING_SERVICE = "bedrock-agentcore";

	private static final Pattern ARN = Pattern
		.compile("arn:aws[a-z-]*:bedrock-agentcore:([a-z0-9-]+):([0-9]{12}):runtime/([A-Za-z0-9_-]+)");

	public AgentCoreRuntime {
		Objects.requireNonNull(runtimeArn, "runtimeArn");
		Matcher matcher = ARN.matcher(runtimeArn);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + runtimeArn
					+ "' is not an AgentCore runtime ARN (arn:aws:bedrock-agentcore:{region}:{account}:runtime/{id})");
		}
		region = (region != null && !region.isBlank()) ? region : matcher.group(1);
		qualifier = (qualifier != null && !qualifier.isBlank()) ? qualifier : "DEFAULT";
		endpoint = (endpoint != null) ? endpoint : URI.create("https://bedrock-agentcore." + region + ".amazonaws.com");
	}

	/**
	 * The runtime's MCP endpoint: {@code {endpoint}/runtimes/{URL-encoded
	 * ARN}/invocations?qualifier={qualifier}}.
	 */
	public URI invocationsUri() {
		String base = this.endpoint.toString();
		if (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		return URI
			.create(base + "/runtimes/" + encode(this.runtimeArn) + "/invocations?qualifier=" + encode(this.qualifier));
	}

	/** URL encoding of a path segment or query value: a space is {@code %20}. */
	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
