package dev.atrium.mcp.region;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.atrium.mcp.client.StreamableHttpClient;
import dev.atrium.mcp.client.TargetEndpoint;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RegionFailoverTests {

	private static final FailoverSettings SETTINGS = new FailoverSettings(Duration.ofMillis(500),
			Duration.ofSeconds(30));

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

	private final Set<String> openBreakers = new HashSet<>();

	private final RegionFailover failover = new RegionFailover(
			(target, region) -> !this.openBreakers.contains(target + "@" + region), (target) -> SETTINGS, this.clock);

	private final TargetLocations crm = new TargetLocations("crm",
			List.of(location("eu-west-1", 2), location("us-east-1", 1), location("ap-southeast-1", 3)));

	@Test
	void callsGoToTheRegionsInPriorityOrderWhileAllIsWell() {
		assertThat(regions(this.failover.order(this.crm, (region) -> true))).containsExactly("us-east-1", "eu-west-1",
				"ap-southeast-1");
		assertThat(this.crm.primary().region()).isEqualTo("us-east-1");
	}

	@Test
	void aRegionWhoseBreakerIsOpenIsTriedLast() {
		this.openBreakers.add("crm@us-east-1");
		assertThat(regions(this.failover.order(this.crm, (region) -> true))).containsExactly("eu-west-1",
				"ap-southeast-1", "us-east-1");
		this.openBreakers.clear();
		assertThat(regions(this.failover.order(this.crm, (region) -> true))).startsWith("us-east-1");
	}

	@Test
	void aSlowRegionIsPassedOverUntilItIsMeasuredFastAgainAfterTheRecheckInterval() {
		TargetLocation east = this.crm.in("us-east-1").orElseThrow();
		this.failover.recordLatency(east, Duration.ofMillis(900));
		assertThat(this.failover.healthy(east)).isFalse();
		assertThat(regions(this.failover.order(this.crm, (region) -> true))).containsExactly("eu-west-1",
				"ap-southeast-1", "us-east-1");
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(this.failover.healthy(east)).isFalse();
		this.clock.advance(Duration.ofSeconds(1));
		// Offered again: the next call there measures it.
		assertThat(regions(this.failover.order(this.crm, (region) -> true))).startsWith("us-east-1");
		this.failover.recordLatency(east, Duration.ofMillis(40));
		assertThat(this.failover.healthy(east)).isTrue();
	}

	@Test
	void oneSlowCallDoesNotMoveARegionWhoseAverageIsFast() {
		TargetLocation east = this.crm.in("us-east-1").orElseThrow();
		for (int i = 0; i < 5; i++) {
			this.failover.recordLatency(east, Duration.ofMillis(50));
		}
		this.failover.recordLatency(east, Duration.ofMillis(1200));
		assertThat(this.failover.healthy(east)).isTrue();
		this.failover.recordLatency(east, Duration.ofMillis(1200));
		this.failover.recordLatency(east, Duration.ofMillis(1200));
		assertThat(this.failover.healthy(east)).isFalse();
	}

	@Test
	void aRegionTheCallerMayNotUseIsNeverTriedNotEvenWhenTheOthersFail() {
		this.openBreakers.add("crm@eu-west-1");
		List<TargetLocation> order = this.failover.order(this.crm, "eu-west-1"::equals);
		assertThat(regions(order)).containsExactly("eu-west-1");
		assertThat(this.failover.order(this.crm, "eu-central-1"::equals)).isEmpty();
	}

	@Test
	void aTargetServedFromOnePlaceIsAlwaysCalledThere() {
		TargetLocations weather = TargetLocations.of(client("weather"));
		assertThat(weather.regional()).isFalse();
		assertThat(weather.regions()).isEmpty();
		assertThat(this.failover.order(weather, (region) -> false)).containsExactly(weather.primary());
		assertThat(weather.in(null)).contains(weather.primary());
	}

	@Test
	void onlyCallsToARegionAreTimed() {
		TargetLocation east = this.crm.in("us-east-1").orElseThrow();
		this.failover.timed(east, Mono.delay(Duration.ofMillis(600)).thenReturn("answer")).block();
		assertThat(this.failover.healthy(east)).isFalse();
		TargetLocations weather = TargetLocations.of(client("weather"));
		Mono<String> call = Mono.just("answer");
		assertThat(this.failover.timed(weather.primary(), call)).isSameAs(call);
	}

	@Test
	void locationsAreEitherOnePlaceOrRegions() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TargetLocations("crm",
				List.of(new TargetLocation(null, 0, client("crm")), new TargetLocation(null, 1, client("crm")))));
		assertThatIllegalArgumentException().isThrownBy(() -> new TargetLocations("crm",
				List.of(new TargetLocation(null, 0, client("crm")), location("us-east-1", 1))));
		assertThatIllegalArgumentException().isThrownBy(() -> new TargetLocations("crm", List.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FailoverSettings(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessage("latencyThreshold must be > 0, was PT0S");
	}

	private static List<String> regions(List<TargetLocation> locations) {
		return locations.stream().map(TargetLocation::region).toList();
	}

	private static TargetLocation location(String region, int priority) {
		return new TargetLocation(region, priority, client("crm"));
	}

	private static StreamableHttpClient client(String target) {
		TargetEndpoint endpoint = new TargetEndpoint(target, URI.create("http://127.0.0.1:9/mcp"), Map.of(),
				Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
		return new StreamableHttpClient(endpoint, HttpClient.create(), new JsonRpcCodec());
	}

}
