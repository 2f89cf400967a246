package dev.atrium.policy.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.atrium.testsupport.LocalRedis;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

class RedisRateLimiterTests {

	private final RedisClient first = RedisClient.create();

	private final RedisClient second = RedisClient.create();

	@AfterEach
	void shutDown() {
		this.first.shutdown();
		this.second.shutdown();
	}

	@Test
	void twoReplicasTakeFromOneBudget() {
		try (LocalRedis redis = LocalRedis.start()) {
			// A generous timeout: this test is about counting, not about a slow store.
			RateLimiter replicaA = new RedisRateLimiter(this.first, redis.uri(), Duration.ofSeconds(10), false,
					RedisRateLimiter.StoreFailures.NONE, Clock.systemUTC());
			RateLimiter replicaB = new RedisRateLimiter(this.second, redis.uri(), Duration.ofSeconds(10), false,
					RedisRateLimiter.StoreFailures.NONE, Clock.systemUTC());
			RateTier tier = RateTier.of("shared", "100/hour");
			// 300 requests, half through each replica, 16 at a time on one key.
			List<RateLimitDecision> decisions = Flux.range(0, 300)
				.flatMap((i) -> ((i % 2 == 0) ? replicaA : replicaB).consume("tenant|acme", tier), 16)
				.collectList()
				.block(Duration.ofSeconds(30));
			long admitted = decisions.stream().filter(RateLimitDecision.Admitted.class::isInstance).count();
			long refused = decisions.stream().filter(RateLimitDecision.Refused.class::isInstance).count();
			// Compare-and-swap in Redis: exactly the budget, however the requests
			// interleave.
			assertThat(admitted).isEqualTo(100);
			assertThat(refused).isEqualTo(200);
		}
	}

	@Test
	void aStoreThatIsGoneFailsOpenQuicklyAndIsCounted() {
		LocalRedis redis = LocalRedis.start();
		AtomicInteger failures = new AtomicInteger();
		RateLimiter limiter = limiter(this.first, redis.uri(), true, (ex) -> failures.incrementAndGet());
		RateTier tier = RateTier.of("t", "1/hour");
		assertThat(limiter.consume("k", tier).block()).isInstanceOf(RateLimitDecision.Admitted.class);
		redis.close();
		long started = System.nanoTime();
		assertThat(limiter.consume("k", tier).block(Duration.ofSeconds(5)))
			.isInstanceOf(RateLimitDecision.Unchecked.class);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		assertThat(failures).hasValue(1);
	}

	@Test
	void aStoreThatIsGoneFailsClosedWhenConfigured() {
		LocalRedis redis = LocalRedis.start();
		RateLimiter limiter = limiter(this.first, redis.uri(), false, RedisRateLimiter.StoreFailures.NONE);
		redis.close();
		assertThat(limiter.consume("k", RateTier.of("t", "5/hour")).block(Duration.ofSeconds(5)))
			.isInstanceOf(RateLimitDecision.Unavailable.class);
	}

	@Test
	void aStoreThatComesBackIsUsedAgain() {
		LocalRedis redis = LocalRedis.start();
		int port = redis.port();
		RateLimiter limiter = limiter(this.first, redis.uri(), true, RedisRateLimiter.StoreFailures.NONE);
		RateTier tier = RateTier.of("t", "50/hour");
		assertThat(limiter.consume("k", tier).block()).isInstanceOf(RateLimitDecision.Admitted.class);
		redis.close();
		assertThat(limiter.consume("k", tier).block(Duration.ofSeconds(5)))
			.isInstanceOf(RateLimitDecision.Unchecked.class);
		try (LocalRedis back = LocalRedis.start(port)) {
			RateLimitDecision decision = null;
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (!(decision instanceof RateLimitDecision.Admitted) && System.nanoTime() < deadline) {
				decision = limiter.consume("k", tier).block(Duration.ofSeconds(5));
			}
			// A new server: a full bucket again.
			assertThat(decision).isInstanceOfSatisfying(RateLimitDecision.Admitted.class,
					(admitted) -> assertThat(admitted.remaining()).isEqualTo(49));
		}
	}

	private static RateLimiter limiter(RedisClient client, String uri, boolean failOpen,
			RedisRateLimiter.StoreFailures failures) {
		return new RedisRateLimiter(client, uri, Duration.ofSeconds(5), failOpen, failures, Clock.systemUTC());
	}

}
