package dev.atrium.e2e.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.ConformanceSuite;
import dev.atrium.e2e.support.ConformanceSuite.Outcome;
import dev.atrium.e2e.support.ConformanceSuite.Result;
import dev.atrium.e2e.support.ConformanceUpstream;
import dev.atrium.e2e.support.JavaSdkClients;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every server scenario of the official MCP conformance suite's {@code all} suite, run
 * against our fixture upstream ({@link ConformanceUpstream}, MCP Java SDK) directly,
 * through a scenario's pass-through route to it, and through a scenario's virtual server
 * whose only target it is (naming {@code unless-single-target}, so the suite finds the
 * fixture's names unchanged).
 * <p>
 * The outcome of each scenario on each path must be exactly the one written in
 * {@value #EXPECTED}: a scenario not listed there must pass, a listed one must end as
 * listed, with the reason it does not pass yet. The suite's client scenarios that apply
 * to Atrium's outbound client run with Atrium as the client of the suite's own server. So
 * a scenario that breaks fails the test, and so does one that starts passing while
 * listed, until the list is made true again.
 */
class ConformanceEndToEndTests {

	static final String EXPECTED = "conformance-expected.txt";

	static final String SCENARIO = "conformance";

	/**
	 * The client scenarios that apply to Atrium's outbound client: not the {@code auth/*}
	 * ones, see {@link #atriumsOutboundClientMeetsTheSuite}.
	 */
	static final List<String> CLIENT_SCENARIOS = List.of("initialize", "tools_call",
			"elicitation-sep1034-client-defaults", "sse-retry");

	static final String TARGET = "fixture";

	// A call whose answer Atrium cannot relay (elicitation, a resumed stream) ends here
	static final Duration CLIENT_CALL_TIMEOUT = Duration.ofSeconds(10);

	static ConformanceUpstream fixture;

	static AtriumInstance atrium;

	static List<String> scenarios;

	static Map<String, Map<String, Expected>> expected;

	@BeforeAll
	static void start() {
		expected = expectations();
		scenarios = ConformanceSuite.serverScenarios();
		fixture = ConformanceUpstream.start();
		atrium = AtriumInstance.start(Map.of("atrium.targets." + TARGET + ".url", fixture.mcpUrl(),
				"atrium.scenarios." + SCENARIO + ".path", "/" + SCENARIO, "atrium.scenarios." + SCENARIO + ".targets",
				TARGET, "atrium.scenarios." + SCENARIO + ".naming", "unless-single-target",
				"atrium.scenarios." + SCENARIO + ".anonymous", "true", "atrium.scenarios." + SCENARIO + ".issuers",
				""));
	}

	@AfterAll
	static void stop() {
		if (atrium != null) {
			atrium.close();
		}
		if (fixture != null) {
			fixture.close();
		}
	}

	@Test
	void theExpectationsNameOnlyScenariosOfTheSuite() {
		assertThat(scenarios).as("server scenarios of the suite").hasSizeGreaterThanOrEqualTo(30);
		expected.forEach((path, byScenario) -> assertThat("client".equals(path) ? CLIENT_SCENARIOS : scenarios)
			.as("%s, path %s", EXPECTED, path)
			.containsAll(byScenario.keySet()));
	}

	@Test
	void theFixtureItselfMeetsTheSuite() {
		check("direct", fixture.mcpUrl());
	}

	@Test
	void aPassThroughRouteMeetsTheSuite() {
		check("route", atrium.baseUrl() + "/" + SCENARIO + "/targets/" + TARGET + "/mcp");
	}

	@Test
	void aSingleTargetVirtualServerMeetsTheSuite() {
		check("virtual", atrium.mcpUrl("/" + SCENARIO));
	}

	/**
	 * The client scenarios that apply to Atrium's outbound client (the auth ones do not:
	 * Atrium authenticates to targets with configured credentials, it runs no OAuth
	 * discovery, registration or authorization code flow).
	 */
	@ParameterizedTest
	@MethodSource("clientScenarios")
	void atriumsOutboundClientMeetsTheSuite(String scenario) {
		Result result = ConformanceSuite.runClientScenario(scenario, ConformanceEndToEndTests::callThroughAtrium);
		Expected listed = expected.getOrDefault("client", Map.of()).get(scenario);
		Outcome wanted = (listed != null) ? listed.outcome() : Outcome.PASS;
		assertThat(result.outcome()).as("client scenario %s: %s", scenario, result.messages()).isEqualTo(wanted);
	}

	/**
	 * Atrium with the suite's scenario server as its only target: Atrium initializes it
	 * and reads its catalog on start; then a client lists the tools through Atrium and
	 * calls each of them once (the suite's {@code add_numbers} with {@code a} and
	 * {@code b}).
	 */
	private static void callThroughAtrium(String targetUrl) {
		try (AtriumInstance client = AtriumInstance.start(Map.of("atrium.targets.suite.url", targetUrl,
				"atrium.scenarios.client.path", "/client", "atrium.scenarios.client.targets", "suite",
				"atrium.scenarios.client.naming", "unless-single-target", "atrium.scenarios.client.anonymous", "true",
				"atrium.scenarios.client.issuers", ""));
				McpSyncClient mcp = answeringClient(client.mcpUrl("/client"))) {
			if (mcp.getServerCapabilities().tools() == null) {
				// The initialize scenario's server offers no tools: initializing is all
				return;
			}
			for (McpSchema.Tool tool : mcp.listTools().tools()) {
				Map<String, Object> arguments = "add_numbers".equals(tool.name()) ? Map.of("a", 5, "b", 3) : Map.of();
				try {
					JavaSdkClients.callTool(mcp, tool.name(), arguments);
				}
				catch (RuntimeException ex) {
					// What the suite's server saw is judged by the suite, not here
				}
			}
		}
	}

	/**
	 * The end client behind Atrium, where elicitation is answered (Atrium relays it): it
	 * accepts with the defaults of the requested schema, as SEP-1034 asks of a client.
	 */
	private static McpSyncClient answeringClient(String url) {
		McpSyncClient mcp = McpClient.sync(JavaSdkClients.transport(url, Map.of(), CLIENT_CALL_TIMEOUT))
			.clientInfo(McpSchema.Implementation.builder("atrium-conformance-end-client", "1.0.0").build())
			.requestTimeout(CLIENT_CALL_TIMEOUT)
			.initializationTimeout(CLIENT_CALL_TIMEOUT)
			.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
			.elicitation((request) -> McpSchema.ElicitResult.builder(McpSchema.ElicitResult.Action.ACCEPT)
				.content(defaults(request.requestedSchema()))
				.build())
			.build();
		mcp.initialize();
		return mcp;
	}

	private static Map<String, Object> defaults(Map<String, Object> schema) {
		Map<String, Object> content = new LinkedHashMap<>();
		if (schema.get("properties") instanceof Map<?, ?> properties) {
			properties.forEach((name, property) -> {
				if (property instanceof Map<?, ?> described && described.containsKey("default")) {
					content.put(String.valueOf(name), described.get("default"));
				}
			});
		}
		return content;
	}

	static List<String> clientScenarios() {
		return CLIENT_SCENARIOS;
	}

	private static void check(String path, String url) {
		Map<String, Result> results = ConformanceSuite.runServerScenarios(url, path, scenarios);
		Map<String, Expected> listed = expected.getOrDefault(path, Map.of());
		Map<String, Outcome> actual = new TreeMap<>();
		Map<String, Outcome> wanted = new TreeMap<>();
		results.forEach((scenario, result) -> {
			actual.put(scenario, result.outcome());
			wanted.put(scenario, listed.containsKey(scenario) ? listed.get(scenario).outcome() : Outcome.PASS);
		});
		String details = results.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().outcome() != wanted.get(entry.getKey()))
			.map((entry) -> entry.getKey() + " is " + entry.getValue().outcome() + " " + entry.getValue().messages()
					+ ", " + EXPECTED + " says " + wanted.get(entry.getKey())
					+ (listed.containsKey(entry.getKey()) ? " (" + listed.get(entry.getKey()).reason() + ")" : ""))
			.collect(Collectors.joining("\n"));
		assertThat(actual).as("outcome of each scenario via %s (%s):%n%s", path, url, details).isEqualTo(wanted);
	}

	/**
	 * Reads {@value #EXPECTED}: one line per scenario that does not pass on a path,
	 * {@code <path> <scenario> <warn|fail> <reason>} ({@code client} for the client
	 * scenarios); {@code #} starts a comment.
	 */
	private static Map<String, Map<String, Expected>> expectations() {
		Map<String, Map<String, Expected>> expectations = new LinkedHashMap<>();
		try (InputStream in = ConformanceEndToEndTests.class.getResourceAsStream("/" + EXPECTED)) {
			if (in == null) {
				throw new IllegalStateException(EXPECTED + " is not on the test class path");
			}
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			for (String line : text.lines().map(String::strip).toList()) {
				if (line.isEmpty() || line.startsWith("#")) {
					continue;
				}
				String[] fields = line.split("\\s+", 4);
				if (fields.length < 4 || !Set.of("direct", "route", "virtual", "client").contains(fields[0])
						|| ConformanceSuite.Outcome.of(fields[2]).filter((o) -> o != Outcome.PASS).isEmpty()) {
					throw new IllegalStateException(EXPECTED + ": expected <direct|route|virtual|client> <scenario> "
							+ "<warn|fail> <reason>, got: " + line);
				}
				Expected previous = expectations.computeIfAbsent(fields[0], (key) -> new TreeMap<>())
					.put(fields[1], new Expected(Outcome.of(fields[2]).orElseThrow(), fields[3]));
				if (previous != null) {
					throw new IllegalStateException(EXPECTED + ": " + fields[0] + " " + fields[1] + " listed twice");
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return expectations;
	}

	record Expected(Outcome outcome, String reason) {

	}

}
