package dev.atrium.policy.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Buckets in Redis, shared by every replica: Bucket4j's compare-and-swap keeps one budget
 * however many replicas take from it. When Redis does not answer in time the request
 * fails open (admitted, uncounted) or closed, as configured; never a hang.
 */
public final class RedisRateLimiter implements RateLimiter {

	private static final Logger logger = LoggerFactory.getLogger(RedisRateLimiter.class);

	private static final String PREFIX = "atrium:rate:";

	private final Mono<LettuceBasedProxyManager<byte[]>> buckets;

	private final Duration timeout;

	private final boolean failOpen;

	private final StoreFailures failures;

	private final AtomicBoolean degraded = new AtomicBoolean();

	/**
	 * @param client the Redis client, set to refuse commands while disconnected
	 * @param uri the Redis URI
	 * @param timeout the longest wait for Redis on one request
	 * @param failOpen whether a request Redis did not answer for is admitted
	 * @param failures told of every request Redis did not answer for
	 * @param clock the time buckets refill by (the same on every replica: wall clock)
	 */
	public RedisRateLimiter(RedisClient client, String uri, Duration timeout, boolean failOpen, StoreFailures failures,
			Clock clock) {
		this.timeout = timeout;
		this.failOpen = failOpen;
		this.failures = failures;
		// While disconnected, fail at once rather than queue: a queued request would be
		// counted later, after its caller was already answered.
		client.setOptions(ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).build());
		// Connected off the event loops, kept once made, made again after a failure: a
		// Redis that is down at start does not stop the gateway.
		this.buckets = Mono
			.fromCompletionStage(() -> client.connectAsync(ByteArrayCodec.INSTANCE, RedisURI.create(uri)))
			.subscribeOn(Schedulers.boundedElastic())
			.map((connection) -> proxyManager(connection, clock))
			.cacheInvalidateIf((manager) -> !manager.connection().isOpen())
			.map(Managed::manager);
	}

	private static Managed proxyManager(StatefulRedisConnection<byte[], byte[]> connection, Clock clock) {
		LettuceBasedProxyManager<byte[]> manager = Bucket4jLettuce.casBasedBuilder(connection)
			.clientClock(Buckets.timeMeter(clock))
			// A bucket left alone refills; once full it is the same as no bucket.
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build();
		return new Managed(connection, manager);
	}

	/**
	 * Connects now rather than on the first request, which would otherwise pay for the
	 * connection (and fail open if that takes longer than the timeout).
	 */
	public Mono<Void> connect() {
		return this.buckets.then();
	}

	@Override
	public Mono<RateLimitDecision> consume(String key, RateTier tier) {
		byte[] redisKey = (PREFIX + key + "|" + tier.name()).getBytes(StandardCharsets.UTF_8);
		return this.buckets.flatMap((manager) -> Mono.fromCompletionStage(() -> manager.asAsync()
			.builder()
			.build(redisKey, () -> CompletableFuture.completedFuture(Buckets.configuration(tier)))
			.tryConsumeAndReturnRemaining(1))).timeout(this.timeout).map((probe) -> {
				if (this.degraded.compareAndSet(true, false)) {
					logger.info("Rate limit store answers again");
				}
				return Buckets.decision(tier, probe);
			}).onErrorResume((ex) -> {
				this.failures.failed(ex);
				if (this.degraded.compareAndSet(false, true)) {
					logger.warn("Rate limit store unavailable ({}); requests are {} until it answers again",
							ex.toString(), this.failOpen ? "admitted uncounted" : "refused");
				}
				return Mono
					.just(this.failOpen ? new RateLimitDecision.Unchecked() : new RateLimitDecision.Unavailable());
			});
	}

	@Override
	public String toString() {
		return "RedisRateLimiter[timeout=" + this.timeout + ", failOpen=" + this.failOpen + "]";
	}

	/** Told when the shared store did not answer, e.g. to count it. */
	@FunctionalInterface
	public interface StoreFailures {

		StoreFailures NONE = (ex) -> {
		};

		void failed(Throwable cause);

	}

	private record Managed(StatefulRedisConnection<byte[], byte[]> connection,
			LettuceBasedProxyManager<byte[]> manager) {

	}

}
