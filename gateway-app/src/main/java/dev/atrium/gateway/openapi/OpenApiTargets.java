package dev.atrium.gateway.openapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.inprocess.InProcessToolServer;
import dev.atrium.gateway.credentials.TargetCredentials;
import dev.atrium.mcp.openapi.OpenApiDocuments;
import dev.atrium.mcp.openapi.OpenApiException;
import dev.atrium.mcp.openapi.OpenApiInvoker;
import dev.atrium.mcp.openapi.OpenApiTool;
import dev.atrium.mcp.openapi.OpenApiToolConverter;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.swagger.v3.oas.models.OpenAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.client.HttpClient;

/**
 * The MCP servers of the OpenAPI targets, built at start-up from their documents: a
 * document that cannot be read, or that has no operations to call, stops Atrium with the
 * property to fix.
 */
public final class OpenApiTargets {

	private static final Logger logger = LoggerFactory.getLogger(OpenApiTargets.class);

	private final Map<String, InProcessToolServer> servers;

	private final InternalRouteSecret secret;

	public OpenApiTargets(Map<String, AtriumProperties.Target> targets, TargetCredentials credentials,
			HttpClient httpClient, McpJsonMapper json, InternalRouteSecret secret) {
		this.secret = secret;
		Map<String, InProcessToolServer> servers = new LinkedHashMap<>();
		targets.forEach((name, target) -> {
			if (target.openapi() != null) {
				servers.put(name, server(name, target, credentials, httpClient, json));
			}
		});
		this.servers = Map.copyOf(servers);
	}

	/** The server of an OpenAPI target. */
	public Optional<InProcessToolServer> server(String target) {
		return Optional.ofNullable(this.servers.get(target));
	}

	/** The secret the federation sends with its requests to these servers. */
	public InternalRouteSecret secret() {
		return this.secret;
	}

	/** The path at which a target's server is served. */
	public static String path(String target) {
		return "/_atrium/openapi/" + target + "/mcp";
	}

	public void close() {
		this.servers.values().forEach(InProcessToolServer::close);
	}

	private static InProcessToolServer server(String name, AtriumProperties.Target target,
			TargetCredentials credentials, HttpClient httpClient, McpJsonMapper json) {
		AtriumProperties.OpenApi openapi = target.openapi();
		String property = "atrium.targets." + name + ".openapi.spec";
		try {
			OpenAPI api = OpenApiDocuments.load(openapi.spec());
			var tools = OpenApiToolConverter.tools(api, Set.copyOf(openapi.operations()));
			var invoker = new OpenApiInvoker(OpenApiToolConverter.baseUrl(api, openapi.spec(), openapi.baseUrl()),
					httpClient, openapi.timeout(), credentials.forTarget(name), target.headers());
			logger.info("OpenAPI target '{}' has {} tool(s): {}", name, tools.size(),
					tools.stream().map(OpenApiTool::name).toList());
			return new InProcessToolServer("atrium-openapi-" + name,
					tools.stream()
						.map((tool) -> new InProcessToolServer.Tool(tool.definition(),
								(arguments) -> invoker.call(tool.operation(), arguments)))
						.toList(),
					json);
		}
		catch (OpenApiException ex) {
			// The message says it all; the cause would only hide it as the root.
			throw new IllegalStateException(property + " (" + openapi.spec() + "): " + ex.getMessage());
		}
	}

}
