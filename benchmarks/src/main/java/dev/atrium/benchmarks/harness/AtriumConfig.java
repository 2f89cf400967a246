package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The configurations Atrium runs with in the benchmarks, written out in full (Atrium's
 * own {@code application.yml} is not loaded) so that the report can say what was on the
 * path.
 */
final class AtriumConfig {

	/** What every request of the comparison goes through in Atrium. */
	static final List<String> ON_THE_PATH = List.of("DNS-rebinding, body-size and body-deadline checks",
			"JWT validation (RS256 signature via a local JWKS, iss, aud, exp, typ)", "scope check per MCP method",
			"JSON-RPC parsing under depth and number limits",
			"stream count per client (cap raised to 100000 for the load)",
			"sealed session id (AES-GCM) opened on every request", "federation routing (target___tool)",
			"Micrometer metrics per MCP message (Prometheus registry)",
			"rate limit per client (Bucket4j in memory, set far above the load)",
			"audit trail (a journal line per message, fsync interval)", "a log line per MCP message",
			"tracing (OpenTelemetry SDK, 10 % of traces sampled)");

	/**
	 * Features the design puts on the path that Atrium does not have yet: they cannot be
	 * switched on, and the numbers do not include them. When one lands, add its
	 * properties with {@code --atrium=<property>=<value>} (or in {@link #comparison}).
	 */
	static final List<String> NOT_ON_THE_PATH = List.of("span export (no collector runs: sampled spans are dropped)",
			"Redis (rate limits and audit shipping stay local)");

	private AtriumConfig() {
	}

	/**
	 * The comparison's Atrium: scenario {@code bench} behind the JWT issuer, scenario
	 * {@code open} anonymous, both over the one upstream.
	 */
	static Map<String, String> comparison(int upstreamPort, Issuer issuer, Map<String, String> extra) {
		Map<String, String> properties = common();
		properties.put("atrium.targets.up.url", "http://127.0.0.1:" + upstreamPort + "/mcp");
		properties.put("atrium.issuers.local.type", "oidc");
		properties.put("atrium.issuers.local.issuer-uri", issuer.issuerUri());
		properties.put("atrium.issuers.local.jwks-uri", issuer.jwksUri());
		properties.put("atrium.issuers.local.audiences", Issuer.AUDIENCE);
		properties.put("atrium.scenarios.bench.path", "/bench");
		properties.put("atrium.scenarios.bench.targets", "up");
		properties.put("atrium.scenarios.bench.issuers", "local");
		// On the path, set high: every request takes from a bucket, none is refused.
		properties.put("atrium.rate-limits.tiers.bench", "100000000/hour");
		properties.put("atrium.scenarios.bench.rate-limit.tier", "bench");
		properties.put("atrium.scenarios.open.path", "/open");
		properties.put("atrium.scenarios.open.targets", "up");
		properties.put("atrium.scenarios.open.anonymous", "true");
		properties.putAll(extra);
		return properties;
	}

	/**
	 * The catalog run's Atrium: bulk targets {@code b000}... of 100 tools each, a
	 * scenario {@code catN} over the first N of them for each count, anonymous, and a
	 * short catalog TTL so that a change upstream shows within seconds.
	 */
	static Map<String, String> catalogs(int upstreamPort, List<Integer> counts, String catalogTtl,
			Map<String, String> extra) {
		Map<String, String> properties = common();
		int max = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
		for (int i = 0; i < max; i++) {
			properties.put("atrium.targets." + bulkTarget(i) + ".url",
					"http://127.0.0.1:" + upstreamPort + "/bulk/" + i + "/mcp");
		}
		for (int count : counts) {
			String scenario = "cat" + count;
			properties.put("atrium.scenarios." + scenario + ".path", "/" + scenario);
			properties.put("atrium.scenarios." + scenario + ".targets",
					IntStream.range(0, count).mapToObj(AtriumConfig::bulkTarget).collect(Collectors.joining(",")));
			properties.put("atrium.scenarios." + scenario + ".anonymous", "true");
		}
		properties.put("atrium.federation.catalog-ttl", catalogTtl);
		properties.putAll(extra);
		return properties;
	}

	static String bulkTarget(int index) {
		return "b%03d".formatted(index);
	}

	private static Map<String, String> common() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.cloud.gateway.server.webflux.discovery.locator.enabled", "false");
		properties.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
		properties.put("management.endpoints.web.exposure.include", "health,prometheus,metrics");
		properties.put("management.endpoint.health.show-details", "always");
		properties.put("atrium.demo.enabled", "false");
		// The audit trail on the path too, in a journal of its own per run.
		properties.put("atrium.audit.directory", auditDirectory());
		properties.put("atrium.session.keys[0].id", "bench");
		properties.put("atrium.session.keys[0].secret", "bench-only-secret-never-used-elsewhere-0123456789");
		// The load generator is one client, and the memory run holds up to 10,000
		// streams: the default cap per client would refuse the load itself.
		properties.put("atrium.server.max-streams-per-client", "100000");
		return properties;
	}

	private static String auditDirectory() {
		try {
			return Files.createTempDirectory("atrium-bench-audit").toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The properties file, with the port and a note on what is not there yet. */
	static String render(int port, Map<String, String> properties) {
		StringBuilder text = new StringBuilder();
		text.append("# Written by the Atrium benchmark harness; see docs/benchmarks.md.\n");
		text.append("# Not on the measured path: ").append(String.join(", ", NOT_ON_THE_PATH)).append(".\n");
		text.append("server.address=127.0.0.1\n");
		text.append("server.port=").append(port).append('\n');
		properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
		return text.toString();
	}

}
