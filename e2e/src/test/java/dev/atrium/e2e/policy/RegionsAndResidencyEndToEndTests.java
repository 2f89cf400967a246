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
 * Regional targets and data residency with real upstreams (MCP Java SDK) and tokens of
 * the embedded STS. {@code crm} runs in us-east-1 (preferred) and eu-west-1,
 * {@code ledger} only in us-east-1; tenant acme-eu is pinned to eu-west-1, acme-us is not
 * pinned.
 */
class RegionsAndResidencyEndToEndTests {

	static JavaSdkUpstream crmUs;

	static JavaSdkUpstream crmEu;

	static JavaSdkUpstream ledgerUs;

	static AtriumInstance atrium;

	@BeforeAll
	static void start() {
		crmUs = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("crm-us"));
		crmEu = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("crm-eu"));
		ledgerUs = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("ledger-us"));
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.targets.crm.regions.us-east-1.url", crmUs.mcpUrl());
		properties.put("atrium.targets.crm.regions.us-east-1.priority", "1");
		properties.put("atrium.targets.crm.regions.eu-west-1.url", crmEu.mcpUrl());
		properties.put("atrium.targets.crm.regions.eu-west-1.priority", "2");
		properties.put("atrium.targets.ledger.regions.us-east-1.url", ledgerUs.mcpUrl());
		properties.put("atrium.targets.ledger.regions.us-east-1.priority", "1");
		properties.put("atrium.tenancy.residency.acme-eu", "eu-west-1");
		properties.put("atrium.sts.key-secret", "regions-e2e-sts-key-secret-0123456789-abcdef");
		properties.put("atrium.scenarios.enterprise.targets", "crm,ledger");
		properties.put("atrium.scenarios.enterprise.issuers", "atrium-sts");
		properties.put("atrium.scenarios.enterprise.anonymous", "false");
		properties.putAll(StsClients.client("acme-us-app", "acme-us", List.of("mcp:read", "mcp:write")));
		properties.putAll(StsClients.client("acme-eu-app", "acme-eu", List.of("mcp:read", "mcp:write")));
		atrium = AtriumInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		for (JavaSdkUpstream upstream : new JavaSdkUpstream[] { crmUs, crmEu, ledgerUs }) {
			if (upstream != null) {
				upstream.close();
			}
		}
	}

	@Test
	void aPinnedTenantSeesOnlyTargetsWithAnEndpointInItsRegionsAndIsServedThere() {
		assertThat(tools("acme-us-app")).contains("crm___reverse", "ledger___reverse");
		assertThat(tools("acme-eu-app")).contains("crm___reverse").noneMatch((name) -> name.startsWith("ledger___"));

		int usCalls = crmUs.requests("tools/call").size();
		int euCalls = crmEu.requests("tools/call").size();
		assertThat(text(reverse(session("acme-eu-app"), "acme-eu-app", "crm___reverse"))).isEqualTo("cba");
		assertThat(crmEu.requests("tools/call")).hasSize(euCalls + 1);
		assertThat(crmUs.requests("tools/call")).hasSize(usCalls);

		assertThat(text(reverse(session("acme-us-app"), "acme-us-app", "crm___reverse"))).isEqualTo("cba");
		assertThat(crmUs.requests("tools/call")).hasSize(usCalls + 1);
		assertThat(crmEu.requests("tools/call")).hasSize(euCalls + 1);
	}

	@Test
	void callsFailOverToAnotherRegionButAPinnedTenantsNeverLeaveItsOwn() {
		String usSession = session("acme-us-app");
		int euPort = crmEu.port();
		int usPort = crmUs.port();
		try {
			// EU down: the pinned tenant's call fails rather than go to the US.
			crmEu.kill();
			int usCalls = crmUs.requests("tools/call").size();
			JsonNode refused = reverse(session("acme-eu-app"), "acme-eu-app", "crm___reverse");
			assertThat(refused.path("error").path("message").asString()).startsWith("Target 'crm");
			assertThat(crmUs.requests("tools/call")).hasSize(usCalls);

			crmEu = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("crm-eu").port(euPort));
			// US down: an open session's read moves to the EU; so does a new session.
			crmUs.kill();
			assertThat(text(reverse(usSession, "acme-us-app", "crm___reverse"))).isEqualTo("cba");
			assertThat(text(reverse(session("acme-us-app"), "acme-us-app", "crm___reverse"))).isEqualTo("cba");
			assertThat(crmEu.requests("tools/call")).hasSize(2);
			// The EU tenant is served again in its own region.
			assertThat(text(reverse(session("acme-eu-app"), "acme-eu-app", "crm___reverse"))).isEqualTo("cba");
		}
		finally {
			crmUs.kill();
			crmUs = JavaSdkUpstream.start(JavaSdkUpstream.Options.defaults().serverName("crm-us").port(usPort));
		}
	}

	private static String session(String client) {
		Mcp.Response initialized = Mcp.initialize(atrium.mcpUrl("/enterprise"), StsClients.bearer(atrium, client));
		assertThat(initialized.status()).as(initialized.body()).isEqualTo(200);
		return initialized.sessionId();
	}

	private static List<String> tools(String client) {
		Mcp.Response listed = Mcp.post(atrium.mcpUrl("/enterprise"), session(client),
				"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", StsClients.bearer(atrium, client));
		assertThat(listed.status()).as(listed.body()).isEqualTo(200);
		List<String> names = new ArrayList<>();
		listed.json().path("result").path("tools").forEach((tool) -> names.add(tool.path("name").asString()));
		return names;
	}

	private static JsonNode reverse(String session, String client, String tool) {
		Mcp.Response answer = Mcp.post(atrium.mcpUrl("/enterprise"), session, """
				{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"%s","arguments":{"text":"abc"}}}"""
			.formatted(tool), StsClients.bearer(atrium, client));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json();
	}

	private static String text(JsonNode answer) {
		assertThat(answer.path("result").isObject()).as(answer.toString()).isTrue();
		return answer.path("result").path("content").get(0).path("text").asString();
	}

}
