package dev.atrium.e2e.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.Mcp;
import dev.atrium.testsupport.LocalRedis;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas and one real Redis: one rate budget for both, measured under concurrent
 * load; tenants keep theirs apart; Redis gone, requests fail open and are counted.
 */
class RateLimitReplicasEndToEndTests {

	private static final int BUDGET = 40;

	private static final String PING = """
			{"jsonrpc":"2.0","id":5,"method":"ping"}""";

	static LocalRedis redis;

	static AtriumInstance first;

	static AtriumInstance second;

	@BeforeAll
	static void start() {
		redis = LocalRedis.start();
		first = AtriumInstance.start(replica());
		second = AtriumInstance.start(replica());
	}

	@AfterAll
	static void stop() {
		for (AtriumInstance instance : new AtriumInstance[] { first, second }) {
			if (instance != null) {
				instance.close();
			}
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void twoReplicasKeepOneBudget() throws Exception {
		Map<String, String> bearer = StsClients.bearer(first, "acme-erp");
		Mcp.Response initialized = Mcp.initialize(first.mcpUrl("/consumer"), bearer);
		assertThat(initialized.status()).isEqualTo(200);
		assertThat(initialized.header("X-Rate-Limit-Limit")).isEqualTo(Integer.toString(BUDGET));
		assertThat(initialized.header("X-Rate-Limit-Remaining")).isEqualTo(Integer.toString(BUDGET - 1));
		int requests = 3 * BUDGET;
		List<Integer> statuses = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Mcp.Response>> answers = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				AtriumInstance replica = (i % 2 == 0) ? first : second;
				answers.add(pool
					.submit(() -> Mcp.post(replica.mcpUrl("/consumer"), initialized.sessionId(), PING, bearer)));
			}
			for (Future<Mcp.Response> answer : answers) {
				statuses.add(answer.get().status());
			}
		}
		finally {
			pool.shutdownNow();
		}
		long admitted = statuses.stream().filter((status) -> status == 200).count();
		long refused = statuses.stream().filter((status) -> status == 429).count();
		// initialize took one; the rest of the budget, no more, was shared by both
		// replicas.
		assertThat(admitted).as("admitted of %d (over-admission %d)", requests, admitted - (BUDGET - 1))
			.isEqualTo(BUDGET - 1);
		assertThat(refused).isEqualTo(requests - admitted);

		Mcp.Response over = Mcp.post(second.mcpUrl("/consumer"), initialized.sessionId(), PING, bearer);
		assertThat(over.status()).isEqualTo(429);
		assertThat(Long.parseLong(over.header("Retry-After"))).isBetween(1L, 3600L / BUDGET + 1);
		assertThat(over.header("X-Rate-Limit-Remaining")).isEqualTo("0");
		assertThat(over.json().path("error").path("code").asInt()).isEqualTo(-32029);

		// Another tenant's budget is untouched.
		Mcp.Response globex = Mcp.initialize(second.mcpUrl("/consumer"), StsClients.bearer(second, "globex-erp"));
		assertThat(globex.status()).isEqualTo(200);
		assertThat(globex.header("X-Rate-Limit-Remaining")).isEqualTo(Integer.toString(BUDGET - 1));
	}

	@Test
	void withoutRedisRequestsFailOpenAndAreCounted() {
		LocalRedis own = LocalRedis.start();
		Map<String, String> properties = replica();
		properties.put("atrium.rate-limits.redis-uri", own.uri());
		try (AtriumInstance replica = AtriumInstance.start(properties)) {
			Map<String, String> bearer = StsClients.bearer(replica, "other-erp");
			assertThat(Mcp.initialize(replica.mcpUrl("/consumer"), bearer).status()).isEqualTo(200);
			own.close();
			Mcp.Response admitted = Mcp.initialize(replica.mcpUrl("/consumer"), bearer);
			assertThat(admitted.status()).isEqualTo(200);
			assertThat(admitted.header("X-Rate-Limit-Remaining")).isNull();
			assertThat(replica.bean(MeterRegistry.class).counter("atrium.ratelimit.store.failures").count())
				.isGreaterThanOrEqualTo(1);
		}
	}

	private static Map<String, String> replica() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.sts.issuer", "https://atrium.example.com/sts");
		properties.put("atrium.sts.key-secret", "rate-limit-e2e-sts-key-secret-0123456789-abcdef");
		properties.put("atrium.rate-limits.redis-uri", redis.uri());
		// Generous: this test counts; a store slower than this fails open (another test).
		properties.put("atrium.rate-limits.timeout", "2s");
		properties.put("atrium.rate-limits.tiers.e2e", BUDGET + "/hour");
		properties.put("atrium.scenarios.consumer.anonymous", "false");
		properties.put("atrium.scenarios.consumer.issuers", "atrium-sts");
		properties.put("atrium.scenarios.consumer.rate-limit.tier", "e2e");
		properties.put("atrium.scenarios.consumer.rate-limit.key", "tenant");
		properties.putAll(StsClients.client("acme-erp", "acme", List.of("mcp:read", "mcp:write")));
		properties.putAll(StsClients.client("globex-erp", "globex", List.of("mcp:read", "mcp:write")));
		properties.putAll(StsClients.client("other-erp", "other", List.of("mcp:read", "mcp:write")));
		return properties;
	}

}
