package dev.atrium.e2e.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.JavaSdkUpstream;
import dev.atrium.e2e.support.Mcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant isolation and permissions with real upstreams (MCP Java SDK) and tokens of the
 * embedded STS: the {@code ledger} target belongs to tenant acme, {@code weather} is
 * shared; the enterprise scenario grants full use, the third-party one the seed's limited
 * operations and limited writes.
 */
class TenantsAndPermissionsEndToEndTests {

	private static final String TOOLS_LIST = """
			{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

	static JavaSdkUpstream ledger;

	static JavaSdkUpstream weather;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		ledger = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("ledger"));
		weather = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("weather"));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.targets.ledger.url", ledger.mcpUrl());
		properties.put("atrium.targets.ledger.tenants", "acme");
		properties.put("atrium.targets.weather.url", weather.mcpUrl());
		properties.put("atrium.sts.key-secret", "policy-e2e-sts-key-secret-0123456789-abcdef");
		for (String scenario : List.of("enterprise", "third-party")) {
			properties.put("atrium.scenarios." + scenario + ".targets", "ledger,weather");
			properties.put("atrium.scenarios." + scenario + ".issuers", "atrium-sts");
			properties.put("atrium.scenarios." + scenario + ".anonymous", "false");
		}
		properties.put("atrium.scenarios.third-party.operations.allowed", "tools/list,tools/call,resources/read");
		properties.put("atrium.scenarios.third-party.operations.denied", "admin/*,config/*,debug/*");
		properties.put("atrium.scenarios.third-party.permissions.default-level", "limited-write");
		properties.putAll(StsClients.client("acme-erp", "acme", List.of("mcp:read", "mcp:write")));
		properties.putAll(StsClients.client("globex-erp", "globex", List.of("mcp:read", "mcp:write")));
		properties.putAll(StsClients.client("acme-partner", "acme", List.of("mcp:read", "mcp:write:limited")));
		atrium = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		for (JavaSdkUpstream upstream : new JavaSdkUpstream[] { ledger, weather }) {
			if (upstream != null) {
				upstream.close();
			}
		}
	}

	@Test
	void aTenantSeesItsOwnTargetsAndTheSharedOnes() {
		assertThat(tools("/enterprise", "acme-erp")).contains("ledger___reverse", "weather___reverse");
		assertThat(tools("/enterprise", "globex-erp")).contains("weather___reverse")
			.noneMatch((name) -> name.startsWith("ledger___"));
	}

	@Test
	void anotherTenantsToolIsAnsweredLikeAToolThatDoesNotExist() {
		Map<String, String> globex = StsClients.bearer(atrium, "globex-erp");
		int ledgerSessions = ledger.requests("initialize").size();
		String session = Mcp.initialize(atrium.mcpUrl("/enterprise"), globex).sessionId();
		int ledgerCalls = ledger.requests("tools/call").size();
		// No session was opened with the other tenant's target on this caller's behalf.
		assertThat(ledger.requests("initialize")).hasSize(ledgerSessions);

		JsonNode hidden = call("/enterprise", session, globex, "ledger___reverse").json();
		JsonNode missing = call("/enterprise", session, globex, "ledger___nothing").json();

		assertThat(hidden.path("error").path("code").asInt()).isEqualTo(-32602)
			.isEqualTo(missing.path("error").path("code").asInt());
		assertThat(hidden.path("error").path("message").asString()).isEqualTo("Unknown tool: ledger___reverse");
		assertThat(ledger.requests("tools/call")).hasSize(ledgerCalls);
	}

	@Test
	void thePassThroughRouteOfAnotherTenantsTargetDoesNotExistForThem() {
		String url = atrium.baseUrl() + "/enterprise/targets/ledger/mcp";
		assertThat(Mcp.initialize(url, StsClients.bearer(atrium, "globex-erp")).status()).isEqualTo(404);
		assertThat(Mcp.initialize(url, StsClients.bearer(atrium, "acme-erp")).status()).isEqualTo(200);
	}

	@Test
	void aLimitedWriterSeesReadsAndNonDestructiveWritesOnly() {
		assertThat(tools("/enterprise", "acme-partner")).contains("ledger___reverse", "ledger___add_note")
			.doesNotContain("ledger___clear_notes", "ledger___fail");
		assertThat(tools("/enterprise", "acme-erp")).contains("ledger___clear_notes", "ledger___fail");
		Map<String, String> partner = StsClients.bearer(atrium, "acme-partner");
		String session = Mcp.initialize(atrium.mcpUrl("/enterprise"), partner).sessionId();
		assertThat(
				call("/enterprise", session, partner, "ledger___clear_notes").json().path("error").path("code").asInt())
			.isEqualTo(-32602);
		assertThat(call("/enterprise", session, partner, "ledger___add_note").json()
			.path("result")
			.path("content")
			.get(0)
			.path("text")
			.asString()).isEqualTo("noted");
	}

	@Test
	void thirdPartiesGetTheSeedsOperationsAndLimitedWritesOnly() {
		Map<String, String> acme = StsClients.bearer(atrium, "acme-erp");
		assertThat(tools("/third-party", "acme-erp")).contains("weather___add_note")
			.doesNotContain("weather___clear_notes");
		String session = Mcp.initialize(atrium.mcpUrl("/third-party"), acme).sessionId();
		Mcp.Response prompts = Mcp.post(atrium.mcpUrl("/third-party"), session,
				"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/list\"}", acme);
		assertThat(prompts.status()).isEqualTo(403);
		assertThat(prompts.json().path("error").path("code").asInt()).isEqualTo(-32003);
		Mcp.Response admin = Mcp.post(atrium.mcpUrl("/third-party"), session,
				"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"admin/reload\"}", acme);
		assertThat(admin.status()).isEqualTo(403);
		// Nothing filters what a pass-through route carries: it is closed here.
		assertThat(Mcp.initialize(atrium.baseUrl() + "/third-party/targets/weather/mcp", acme).status()).isEqualTo(403);
	}

	private static List<String> tools(String scenario, String client) {
		Map<String, String> bearer = StsClients.bearer(atrium, client);
		Mcp.Response initialized = Mcp.initialize(atrium.mcpUrl(scenario), bearer);
		assertThat(initialized.status()).as(initialized.body()).isEqualTo(200);
		Mcp.Response listed = Mcp.post(atrium.mcpUrl(scenario), initialized.sessionId(), TOOLS_LIST, bearer);
		assertThat(listed.status()).as(listed.body()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		listed.json().path("result").path("tools").forEach((tool) -> names.add(tool.path("name").asString()));
		return names;
	}

	private static Mcp.Response call(String scenario, String session, Map<String, String> bearer, String tool) {
		return Mcp.post(atrium.mcpUrl(scenario), session, """
				{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"%s","arguments":{"text":"abc"}}}"""
			.formatted(tool), bearer);
	}

}
