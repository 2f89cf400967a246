package dev.atrium.gateway.lambda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.inprocess.InProcessToolServer;
import dev.atrium.gateway.credentials.TargetCredentials;
import dev.atrium.gateway.openapi.InternalRouteSecret;
import dev.atrium.mcp.lambda.LambdaInvoker;
import dev.atrium.mcp.lambda.LambdaTool;
import dev.atrium.mcp.lambda.ToolHints;
import io.modelcontextprotocol.json.McpJsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The MCP servers of the Lambda targets, built at start-up from their configured tools,
 * each with its own Lambda client: a region that cannot be found stops Atrium with the
 * property to set.
 */
public final class LambdaTargets {

	private static final Logger logger = LoggerFactory.getLogger(LambdaTargets.class);

	private final Map<String, InProcessToolServer> servers = new LinkedHashMap<>();

	private final List<LambdaClient> clients = new ArrayList<>();

	private final InternalRouteSecret secret;

	public LambdaTargets(Map<String, AtriumProperties.Target> targets, TargetCredentials credentials,
			McpJsonMapper json, InternalRouteSecret secret) {
		this.secret = secret;
		targets.forEach((name, target) -> {
			if (target.lambda() != null) {
				this.servers.put(name, server(name, target.lambda(), credentials, json));
			}
		});
	}

	/** The server of a Lambda target. */
	public Optional<InProcessToolServer> server(String target) {
		return Optional.ofNullable(this.servers.get(target));
	}

	/** The secret the federation sends with its requests to these servers. */
	public InternalRouteSecret secret() {
		return this.secret;
	}

	/** The path at which a target's server is served. */
	public static String path(String target) {
		return "/_atrium/lambda/" + target + "/mcp";
	}

	public void close() {
		this.servers.values().forEach(InProcessToolServer::close);
		this.clients.forEach(LambdaClient::close);
	}

	private InProcessToolServer server(String name, AtriumProperties.Lambda lambda, TargetCredentials credentials,
			McpJsonMapper json) {
		List<LambdaTool> tools = lambda.tools()
			.stream()
			.map((tool) -> LambdaTool.of(tool.name(), tool.title(), tool.description(), tool.inputSchema(),
					tool.outputSchema(),
					new ToolHints(tool.readOnlyHint(), tool.destructiveHint(), tool.idempotentHint(),
							tool.openWorldHint())))
			.toList();
		LambdaClient client = client(name, lambda, credentials);
		this.clients.add(client);
		LambdaInvoker invoker = new LambdaInvoker(client, name, lambda.functionName(), lambda.qualifier(),
				lambda.timeout());
		logger.info("Lambda target '{}' invokes {} for {} tool(s): {}", name, lambda.functionName(), tools.size(),
				tools.stream().map(LambdaTool::name).toList());
		return new InProcessToolServer("atrium-lambda-" + name,
				tools.stream()
					.map((tool) -> new InProcessToolServer.Tool(tool.definition(),
							(arguments) -> invoker.call(tool.name(), arguments)))
					.toList(),
				json);
	}

	private static LambdaClient client(String name, AtriumProperties.Lambda lambda, TargetCredentials credentials) {
		String region = (lambda.region() != null) ? lambda.region() : lambda.arnRegion();
		try {
			return LambdaInvoker.client(region, lambda.endpoint(), credentials.awsCredentials(name), lambda.timeout());
		}
		catch (SdkClientException ex) {
			// Without a region in the configuration, the SDK looked for one and found
			// none.
			throw new IllegalStateException(
					"atrium.targets." + name + ".lambda.region: the function's region is unknown: " + ex.getMessage());
		}
	}

}
