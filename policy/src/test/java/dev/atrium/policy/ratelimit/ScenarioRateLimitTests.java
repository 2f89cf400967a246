package dev.atrium.policy.ratelimit;

import java.util.Map;
import java.util.Set;

import dev.atrium.policy.caller.CallerIdentity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioRateLimitTests {

	private static final RateTier THIRD_PARTY = RateTiers.seed().find("third-party").orElseThrow();

	private static final RateTier PREMIUM = RateTiers.seed().find("third-party-premium").orElseThrow();

	private static final RateTier CHATGPT = RateTiers.seed().find("chatgpt-apps").orElseThrow();

	@Test
	void aClientTierWinsOverTheTokensTierAndTheScenarios() {
		ScenarioRateLimit limits = new ScenarioRateLimit("third-party", THIRD_PARTY, RateKey.CLIENT,
				Map.of("chatgpt-42", CHATGPT), Map.of("premium", PREMIUM), Map.of());
		assertThat(limits.buckets(caller("chatgpt-42", null, "premium"), null)).singleElement()
			.satisfies((bucket) -> assertThat(bucket.tier()).isEqualTo(CHATGPT));
		assertThat(limits.buckets(caller("agent-7", null, "premium"), null)).singleElement()
			.satisfies((bucket) -> assertThat(bucket.tier()).isEqualTo(PREMIUM));
		assertThat(limits.buckets(caller("agent-7", null, null), null)).singleElement()
			.satisfies((bucket) -> assertThat(bucket.tier()).isEqualTo(THIRD_PARTY));
	}

	@Test
	void twoTenantsNeverShareABudgetEvenThroughOneClient() {
		ScenarioRateLimit limits = new ScenarioRateLimit("consumer", THIRD_PARTY, RateKey.CLIENT, Map.of(), Map.of(),
				Map.of());
		String acme = limits.buckets(caller("app", "acme", null), null).get(0).key();
		String globex = limits.buckets(caller("app", "globex", null), null).get(0).key();
		assertThat(acme).isNotEqualTo(globex).startsWith("consumer|client|app");
	}

	@Test
	void aTenantKeyedLimitIsSharedByTheTenantsClients() {
		ScenarioRateLimit limits = new ScenarioRateLimit("enterprise", THIRD_PARTY, RateKey.TENANT, Map.of(), Map.of(),
				Map.of());
		assertThat(limits.buckets(caller("erp", "acme", null), null).get(0).key())
			.isEqualTo(limits.buckets(caller("crm", "acme", null), null).get(0).key())
			.isEqualTo("enterprise|tenant|acme");
	}

	@Test
	void aToolLimitIsAnotherBucketPerCaller() {
		RateTier tool = RateTier.of("tool demo___echo", "10/minute");
		ScenarioRateLimit limits = new ScenarioRateLimit("internal", null, RateKey.SUBJECT, Map.of(), Map.of(),
				Map.of("demo___echo", tool));
		assertThat(limits.buckets(caller("ide", null, null), "demo___add")).isEmpty();
		assertThat(limits.buckets(caller("ide", null, null), "demo___echo")).singleElement()
			.satisfies((bucket) -> assertThat(bucket.key()).isEqualTo("internal|subject|iss|user-1|tool|demo___echo"));
	}

	@Test
	void anonymousCallersAreKeyedByAddress() {
		ScenarioRateLimit limits = new ScenarioRateLimit("internal", THIRD_PARTY, RateKey.CLIENT, Map.of(), Map.of(),
				Map.of());
		assertThat(limits.buckets(CallerIdentity.anonymous("10.0.0.7"), null).get(0).key())
			.isEqualTo("internal|address|10.0.0.7");
	}

	private static CallerIdentity caller(String client, String tenant, String rateTier) {
		return new CallerIdentity("iss", "user-1", client, tenant, Set.of("mcp:read"), rateTier, "127.0.0.1");
	}

}
