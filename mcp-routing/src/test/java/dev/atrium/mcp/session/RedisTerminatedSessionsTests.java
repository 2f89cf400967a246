package dev.atrium.mcp.session;

import dev.atrium.testsupport.LoopbackPorts;
import java.time.Clock;
import java.time.Duration;

import dev.atrium.testsupport.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** Terminations on a real redis-server, as two replicas see them. */
class RedisTerminatedSessionsTests {

	static LocalRedis redis;

	static RedisClient client;

	@BeforeAll
	static void start() {
		redis = LocalRedis.start();
		client = RedisClient.create();
	}

	@AfterAll
	static void stop() {
		client.shutdown();
		redis.close();
	}

	@Test
	void aSessionEndedOnOneReplicaIsEndedForAnother() {
		RedisTerminatedSessions first = sessions(redis.uri());
		RedisTerminatedSessions second = sessions(redis.uri());

		first.terminate("session-ended-on-a").block(Duration.ofSeconds(5));

		assertThat(first.endedHere("session-ended-on-a")).isTrue();
		assertThat(second.endedHere("session-ended-on-a")).isFalse();
		assertThat(second.isTerminated("session-ended-on-a").block(Duration.ofSeconds(5))).isTrue();
		assertThat(second.isTerminated("session-still-open").block(Duration.ofSeconds(5))).isFalse();
		assertThat(second.sharedByReplicas()).isTrue();
	}

	@Test
	void theKeyIsADigestThatExpiresWithTheSessionId() {
		sessions(redis.uri()).terminate("session-with-a-lifetime").block(Duration.ofSeconds(5));
		String key = "atrium:sessions:ended:" + LocalTerminatedSessions.digest("session-with-a-lifetime");

		Long ttl = commands(redis.uri()).flatMap((commands) -> commands.pttl(key)).block(Duration.ofSeconds(5));

		assertThat(ttl).isBetween(Duration.ofHours(1).minusSeconds(10).toMillis(), Duration.ofHours(1).toMillis());
		// Redis never holds a usable session id.
		assertThat(commands(redis.uri()).flatMapMany((commands) -> commands.keys("*session-with-a-lifetime*"))
			.collectList()
			.block(Duration.ofSeconds(5))).isEmpty();
	}

	@Test
	void withoutRedisASessionIsTakenAsEndedAndAnEndIsStillRecordedHere() {
		RedisTerminatedSessions sessions = sessions("redis://127.0.0.1:" + LoopbackPorts.free());

		sessions.terminate("ended-while-redis-was-down").block(Duration.ofSeconds(5));

		assertThat(sessions.endedHere("ended-while-redis-was-down")).isTrue();
		assertThat(sessions.isTerminated("never-ended").block(Duration.ofSeconds(5))).isTrue();
	}

	private static RedisTerminatedSessions sessions(String uri) {
		return new RedisTerminatedSessions(new LocalTerminatedSessions(100, Duration.ofHours(1), Clock.systemUTC()),
				commands(uri), Duration.ofMillis(250));
	}

	private static Mono<RedisReactiveCommands<String, String>> commands(String uri) {
		return Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, RedisURI.create(uri)))
			.map(StatefulRedisConnection::reactive)
			.cache();
	}

}
