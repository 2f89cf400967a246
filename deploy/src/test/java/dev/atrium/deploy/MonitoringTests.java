package dev.atrium.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the Prometheus alert rules the chart ships: valid, laid out,
 * covering Atrium's metrics, querying only metrics Atrium documents (a query on a metric
 * that does not exist shows nothing and an alert on it never fires), with the SLO
 * burn-rate alerts for the seed's latency targets and errors.
 */
class MonitoringTests {

	private static final Path DASHBOARD = HelmChart.DIR.resolve("dashboards").resolve("atrium.json");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private static final String MONITORING_ON = """
			monitoring:
			  prometheusRule: {enabled: true}
			  dashboard: {enabled: true}
			""";

	/** Prometheus's own series, which Atrium does not export. */
	private static final Set<String> PROMETHEUS_OWN = Set.of("up");

	private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
			"on", "ignoring", "group_left", "group_right", "inf", "nan");

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)");

	private static final Pattern DURATION = Pattern.compile("[0-9]+[smhdw]");

	@Test
	void theDashboardIsValidJsonForGrafanaLaidOutWithoutOverlaps() throws Exception {
		JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
		assertThat(dashboard.path("uid").asString()).isNotBlank();
		assertThat(dashboard.path("title").asString()).isNotBlank();
		assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
		Set<Integer> ids = new TreeSet<>();
		List<int[]> boxes = new ArrayList<>();
		for (JsonNode panel : panels(dashboard)) {
			String title = panel.path("title").asString();
			assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
			JsonNode grid = panel.path("gridPos");
			int[] box = { grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(),
					grid.path("h").asInt() };
			assertThat(box[2]).as("width of " + title).isPositive();
			assertThat(box[0] + box[2]).as("right edge of " + title).isLessThanOrEqualTo(24);
			for (int[] other : boxes) {
				boolean overlaps = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
						&& box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
				assertThat(overlaps).as(title + " overlaps another panel").isFalse();
			}
			boxes.add(box);
			if (!"row".equals(panel.path("type").asString())) {
				assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo("${datasource}");
				assertThat(panel.path("targets")).as("queries of " + title).isNotEmpty();
				panel.path("targets")
					.forEach((target) -> assertThat(target.path("expr").asString()).as(title).isNotBlank());
			}
		}
	}

	@Test
	void theChartShipsTheDashboardFileAsItIs() throws Exception {
		JsonNode configMap = HelmChart.template().values(MONITORING_ON).render().get("ConfigMap", "atrium-dashboard");
		assertThat(configMap.at("/metadata/labels/grafana_dashboard").asString()).isEqualTo("1");
		assertThat(JSON.readTree(configMap.at("/data/atrium.json").asString()))
			.isEqualTo(JSON.readTree(Files.readString(DASHBOARD)));
	}

	@Test
	void theDashboardQueriesOnlyMetricsAtriumDocuments() throws Exception {
		Set<String> documented = documentedMetrics();
		Map<String, String> used = dashboardMetrics();
		assertThat(used).isNotEmpty();
		used.forEach((metric, where) -> assertThat(documented.contains(base(metric)) || PROMETHEUS_OWN.contains(metric))
			.as("%s (in %s) is described in docs/observability.md", metric, where)
			.isTrue());
	}

	@Test
	void theDashboardCoversMcpTrafficPolicyTheStsBreakersAndTheJvm() throws Exception {
		Set<String> used = new TreeSet<>();
		dashboardMetrics().keySet().forEach((metric) -> used.add(base(metric)));
		assertThat(used).contains("atrium_mcp_requests_seconds", "atrium_sts_grants_total",
				"atrium_policy_refusals_total", "atrium_ratelimit_store_failures_total",
				"resilience4j_circuitbreaker_state", "atrium_breaker_transitions_total", "jvm_memory_used_bytes",
				"jvm_gc_pause_seconds", "process_cpu_usage", "jvm_threads_live_threads");
		List<String> requestQueries = new ArrayList<>();
		for (JsonNode panel : panels(JSON.readTree(Files.readString(DASHBOARD)))) {
			panel.path("targets").forEach((target) -> {
				String expr = target.path("expr").asString();
				if (expr.contains("atrium_mcp_requests_seconds")) {
					requestQueries.add(expr.replaceAll("\\s+", " "));
				}
			});
		}
		for (String dimension : List.of("scenario", "method", "target", "outcome")) {
			assertThat(requestQueries).as("request rate by " + dimension)
				.anyMatch((expr) -> expr.contains("_count{") && expr.contains("by (" + dimension + ")"));
		}
		for (String dimension : List.of("scenario", "method", "target")) {
			assertThat(requestQueries).as("latency by " + dimension)
				.anyMatch((expr) -> expr.contains("histogram_quantile") && expr.contains("by (le, " + dimension + ")"));
		}
		assertThat(requestQueries).as("the policy refusals by reason, the breakers by state").isNotEmpty();
		assertThat(dashboardExpressions())
			.anyMatch((expr) -> expr.contains("atrium_policy_refusals_total") && expr.contains("scenario")
					&& expr.contains("reason"))
			.anyMatch((expr) -> expr.contains("resilience4j_circuitbreaker_state") && expr.contains("by (name, state)"))
			.anyMatch((expr) -> expr.contains("atrium_policy_refusals_total") && expr.contains("reason=\"rate-limit\"")
					&& expr.contains("/ sum by (scenario)"));
	}

	@Test
	void breakerAlertsFireOnABreakerThatStaysOpenOrKeepsOpening() {
		JsonNode rule = HelmChart.template()
			.values(MONITORING_ON)
			.values("monitoring: {prometheusRule: {breakerOpenMinutes: 7, breakerOpensPerHalfHour: 4}}")
			.render()
			.get("PrometheusRule");
		JsonNode open = alert(rule, "AtriumCircuitBreakerOpen", null);
		assertThat(open.path("expr").asString()).contains("max by (name) (resilience4j_circuitbreaker_state{")
			.contains("state=~\"open|forced_open|half_open\"")
			.contains("== 1");
		assertThat(open.path("for").asString()).isEqualTo("7m");
		assertThat(open.at("/annotations/description").asString()).contains("7 minutes");
		JsonNode flapping = alert(rule, "AtriumCircuitBreakerFlapping", null);
		assertThat(flapping.path("expr").asString())
			.contains("sum by (target) (increase(atrium_breaker_transitions_total{")
			.contains("to=\"open\"}[30m]")
			.endsWith("> 4\n");
	}

	@Test
	void theRateLimitAlertComparesA429ShareOfEachScenarioWithItsThreshold() {
		JsonNode rule = HelmChart.template()
			.values(MONITORING_ON)
			.values("monitoring: {prometheusRule: {rateLimitedRatio: 0.25}}")
			.render()
			.get("PrometheusRule");
		String expr = alert(rule, "AtriumRateLimitedBurst", null).path("expr").asString();
		assertThat(expr).contains("sum by (scenario) (rate(atrium_policy_refusals_total{")
			.contains("reason=\"rate-limit\"}[10m]")
			.contains("/ sum by (scenario) (rate(atrium_mcp_requests_seconds_count{")
			.endsWith("> 0.25\n");
		assertThat(HelmChart.template().values("monitoring: {prometheusRule: {rateLimitedRatio: 0}}").failure())
			.contains("/monitoring/prometheusRule/rateLimitedRatio")
			.contains("0");
	}

	@Test
	void theAlertRulesParseAsYamlWithTheExpectedAlerts() throws Exception {
		JsonNode rule = HelmChart.template().values(MONITORING_ON).render().get("PrometheusRule");
		assertThat(rule.path("apiVersion").asString()).isEqualTo("monitoring.coreos.com/v1");
		List<String> names = new ArrayList<>();
		String runbook = Files.readString(Path.of("..", "docs", "operations.md"));
		for (JsonNode alert : alerts(rule)) {
			String name = alert.path("alert").asString();
			names.add(name + (alert.at("/labels/scenario").isMissingNode() ? ""
					: "[" + alert.at("/labels/scenario").asString() + "]"));
			String expr = alert.path("expr").asString();
			assertThat(expr).as(name).isNotBlank();
			assertThat(balanced(expr)).as("parentheses and braces of " + name).isTrue();
			assertThat(alert.path("for").asString()).as(name).matches(DURATION);
			assertThat(alert.at("/labels/severity").asString()).as(name).isIn("critical", "warning");
			assertThat(alert.at("/annotations/summary").asString()).as(name).isNotBlank();
			Matcher section = Pattern.compile("runbook \"([^\"]+)\"")
				.matcher(alert.at("/annotations/description").asString());
			assertThat(section.find()).as(name + " names its runbook").isTrue();
			assertThat(runbook).as("the runbook " + section.group(1) + " of " + name)
				.contains("**" + section.group(1) + "** (")
				.contains(name.replaceAll("(Fast|Slow)$", ""));
		}
		List<String> expected = new ArrayList<>();
		for (String burn : List.of("Fast", "Slow")) {
			expected.add("AtriumGatewayHopLatencyBurn" + burn);
			for (String scenario : List.of("internal", "consumer", "enterprise", "third-party")) {
				expected.add("AtriumScenarioLatencyBurn" + burn + "[" + scenario + "]");
			}
			expected.add("AtriumScenarioErrorBudgetBurn" + burn);
		}
		expected.addAll(List.of("AtriumTargetFailing", "AtriumCircuitBreakerOpen", "AtriumCircuitBreakerFlapping",
				"AtriumRateLimitedBurst", "AtriumRateLimitStoreFailing", "AtriumInstanceDown", "AtriumNoInstanceUp"));
		assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void burnRateAlertsPairALongAndAShortWindowAtTheWorkbooksRates() {
		JsonNode rule = HelmChart.template().values(MONITORING_ON).render().get("PrometheusRule");
		for (JsonNode alert : alerts(rule)) {
			String name = alert.path("alert").asString();
			String expr = alert.path("expr").asString();
			if (name.endsWith("BurnFast")) {
				assertThat(expr).as(name).contains("[1h]", "[5m]", "14.4 *", "\nand\n");
				assertThat(alert.at("/labels/severity").asString()).isEqualTo("critical");
			}
			else if (name.endsWith("BurnSlow")) {
				assertThat(expr).as(name).contains("[6h]", "[30m]", "6 *", "\nand\n");
				assertThat(alert.at("/labels/severity").asString()).isEqualTo("warning");
			}
		}
		assertThat(alert(rule, "AtriumScenarioErrorBudgetBurnFast", null).path("expr").asString())
			.contains("outcome=\"error\"")
			.contains("sum by (scenario)")
			.contains("(1 - 0.99)");
	}

	@Test
	void sloAlertsReadEachScenarioAtItsOwnLatencyBucket() {
		JsonNode rule = HelmChart.template().values(MONITORING_ON).render().get("PrometheusRule");
		Map<String, String> seed = Map.of("internal", "0.5", "consumer", "0.2", "enterprise", "0.3", "third-party",
				"0.4");
		seed.forEach((scenario, bucket) -> {
			assertThat(alert(rule, "AtriumScenarioLatencyBurnFast", scenario).path("expr").asString()).as(scenario)
				.contains("scenario=\"" + scenario + "\"")
				.contains("le=\"" + bucket + "\"")
				.contains("atrium_mcp_requests_seconds_bucket")
				.contains("atrium_mcp_requests_seconds_count");
			assertThat(alert(rule, "AtriumScenarioLatencyBurnSlow", scenario).path("expr").asString()).as(scenario)
				.contains("le=\"" + bucket + "\"");
		});
		assertThat(alert(rule, "AtriumGatewayHopLatencyBurnFast", null).path("expr").asString())
			.contains("target=\"atrium\"")
			.contains("le=\"0.05\"");
		for (JsonNode alert : alerts(rule)) {
			assertThat(alert.path("expr").asString()).as(alert.path("alert").asString())
				.contains("namespace=\"atrium\", job=\"atrium\"");
		}
	}

	@Test
	void theAlertsQueryOnlyMetricsAtriumDocuments() throws Exception {
		Set<String> documented = documentedMetrics();
		JsonNode rule = HelmChart.template().values(MONITORING_ON).render().get("PrometheusRule");
		Set<String> used = new TreeSet<>();
		alerts(rule).forEach((alert) -> used.addAll(metrics(alert.path("expr").asString())));
		assertThat(used).contains("atrium_mcp_requests_seconds_bucket", "atrium_ratelimit_store_failures_total",
				"atrium_policy_refusals_total", "atrium_breaker_transitions_total", "resilience4j_circuitbreaker_state",
				"up");
		for (String metric : used) {
			assertThat(documented.contains(base(metric)) || PROMETHEUS_OWN.contains(metric))
				.as(metric + " is described in docs/observability.md")
				.isTrue();
		}
	}

	@Test
	void aLatencyTargetBetweenHistogramBucketsIsRefused() {
		// As a values file: helm-java's set() passes strings, which the schema would
		// refuse for their type alone.
		assertThat(HelmChart.template()
			.values("monitoring: {prometheusRule: {scenarioLatencySeconds: {consumer: 0.25}}}")
			.failure()).contains("/monitoring/prometheusRule/scenarioLatencySeconds/consumer")
			.doesNotContain("got string");
	}

	@Test
	void theMetricNamesOfAQueryAreFound() {
		assertThat(metrics("histogram_quantile(0.95, sum by (le, target) (rate(atrium_mcp_requests_seconds_bucket"
				+ "{namespace=\"$namespace\", target!=\"atrium\"}[$__rate_interval])))"))
			.containsExactly("atrium_mcp_requests_seconds_bucket");
		assertThat(
				metrics("count(max by (name) (resilience4j_circuitbreaker_state{state=~\"open\"}) == 1) or vector(0)"))
			.containsExactly("resilience4j_circuitbreaker_state");
		assertThat(metrics("up == 0 and on (pod) process_cpu_usage > 1e-3 unless absent(jvm_threads_live_threads)"))
			.containsExactlyInAnyOrder("up", "process_cpu_usage", "jvm_threads_live_threads");
	}

	/**
	 * The first cell of every row of the tables under "## Metrics" in
	 * docs/observability.md; a cell may name several metrics.
	 */
	private static Set<String> documentedMetrics() throws Exception {
		String guide = Files.readString(Path.of("..", "docs", "observability.md"));
		int start = guide.indexOf("## Metrics");
		assertThat(start).as("a section \"## Metrics\"").isNotNegative();
		int end = guide.indexOf("\n## ", start + 1);
		String section = guide.substring(start, (end < 0) ? guide.length() : end);
		Set<String> names = new TreeSet<>();
		Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(section);
		while (row.find()) {
			Matcher name = Pattern.compile("`([a-z_:][a-z0-9_:]*)`").matcher(row.group(1));
			while (name.find()) {
				names.add(name.group(1));
			}
		}
		assertThat(names).contains("atrium_mcp_requests_seconds");
		return names;
	}

	/** Every metric the dashboard queries, with a panel (or variable) using it. */
	private static Map<String, String> dashboardMetrics() throws Exception {
		JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
		Map<String, String> used = new TreeMap<>();
		for (JsonNode panel : panels(dashboard)) {
			panel.path("targets")
				.forEach((target) -> metrics(target.path("expr").asString())
					.forEach((metric) -> used.putIfAbsent(metric, panel.path("title").asString())));
		}
		for (JsonNode variable : dashboard.at("/templating/list")) {
			Matcher query = LABEL_VALUES.matcher(variable.at("/query/query").asString());
			while (query.find()) {
				used.putIfAbsent(query.group(1), "variable " + variable.path("name").asString());
			}
		}
		return used;
	}

	private static List<String> dashboardExpressions() throws Exception {
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : panels(JSON.readTree(Files.readString(DASHBOARD)))) {
			panel.path("targets").forEach((target) -> expressions.add(target.path("expr").asString()));
		}
		return expressions;
	}

	/** Every panel, those inside collapsed rows too. */
	private static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		return panels;
	}

	/**
	 * The metric names of a PromQL expression: identifiers that are not in a label
	 * matcher, a range, a string or a grouping clause, and that are neither functions nor
	 * keywords.
	 */
	static Set<String> metrics(String expression) {
		String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^{}]*\\}", " ")
			.replaceAll("\\[[^\\[\\]]*\\]", " ");
		bare = GROUPING.matcher(bare).replaceAll(" ");
		Set<String> names = new TreeSet<>();
		Matcher identifier = IDENTIFIER.matcher(bare);
		while (identifier.find()) {
			String name = identifier.group();
			int before = identifier.start() - 1;
			boolean inNumber = before >= 0 && (Character.isDigit(bare.charAt(before)) || bare.charAt(before) == '.');
			boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
			if (!inNumber && !function && !PROMQL_KEYWORDS.contains(name)) {
				names.add(name);
			}
		}
		return names;
	}

	/** The metric a series belongs to: histograms and timers add suffixes. */
	private static String base(String series) {
		return series.replaceAll("_(bucket|count|sum|max)$", "");
	}

	private static boolean balanced(String expression) {
		int depth = 0;
		for (char c : expression.toCharArray()) {
			depth += (c == '(' || c == '{' || c == '[') ? 1 : (c == ')' || c == '}' || c == ']') ? -1 : 0;
			if (depth < 0) {
				return false;
			}
		}
		return depth == 0;
	}

	private static List<JsonNode> alerts(JsonNode rule) {
		List<JsonNode> alerts = new ArrayList<>();
		rule.at("/spec/groups").forEach((group) -> group.path("rules").forEach(alerts::add));
		return alerts;
	}

	private static JsonNode alert(JsonNode rule, String name, String scenario) {
		for (JsonNode alert : alerts(rule)) {
			if (name.equals(alert.path("alert").asString())
					&& (scenario == null || scenario.equals(alert.at("/labels/scenario").asString()))) {
				return alert;
			}
		}
		throw new AssertionError("no alert " + name + " for " + scenario);
	}

}
