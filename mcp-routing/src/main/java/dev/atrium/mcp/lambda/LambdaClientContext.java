package dev.atrium.mcp.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client context of an invocation ({@code X-Amz-Client-Context}, base64 JSON), as
 * Amazon Bedrock AgentCore Gateway fills it for its Lambda targets, so that a function
 * written for that gateway runs behind Atrium unchanged: the event is only the arguments,
 * and the function reads which tool was called from
 * {@code context.client_context.custom["bedrockAgentCoreToolName"]}, named
 * {@code {target}___{tool}}. See "AWS Lambda function targets", section "Lambda function
 * input format", in the AgentCore developer guide
 * (https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-add-target-lambda.html).
 * All values are strings: Lambda's Java runtime reads {@code custom} as a string map.
 */
public final class LambdaClientContext {

	/** The version of the message format that AgentCore Gateway documents. */
	static final String MESSAGE_VERSION = "1.0";

	/** What stands for the gateway's id: there is one Atrium, not many gateways. */
	static final String GATEWAY_ID = "atrium";

	/** The separator of target and tool in AgentCore Gateway's tool names. */
	static final String SEPARATOR = "___";

	private LambdaClientContext() {
	}

	/** The custom fields for a call of a target's tool. */
	static ObjectNode custom(String target, String tool) {
		ObjectNode custom = JsonRpcCodec.object();
		custom.put("bedrockAgentCoreGatewayId", GATEWAY_ID);
		custom.put("bedrockAgentCoreTargetId", target);
		custom.put("bedrockAgentCoreMessageVersion", MESSAGE_VERSION);
		custom.put("bedrockAgentCoreToolName", target + SEPARATOR + tool);
		return custom;
	}

	/** The header's value: base64 of {@code {"custom": {...}}}. */
	public static String encode(String target, String tool) {
		ObjectNode context = JsonRpcCodec.object();
		context.set("custom", custom(target, tool));
		return Base64.getEncoder().encodeToString(context.toString().getBytes(StandardCharsets.UTF_8));
	}

}
