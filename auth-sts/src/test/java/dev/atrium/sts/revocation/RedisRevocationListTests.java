package dev.atrium.sts.revocation;

import dev.atrium.testsupport.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared deny-list on a real redis-server, as two replicas see it. */
class RedisRevocationListTests {

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
	void aTokenRevokedOnOneReplicaIsRevokedOnAnother() {
		RedisRevocationList first = list(redis.uri(), false);
		RedisRevocationList second = list(redis.uri(), false);

		first.revoke("jti-shared", Instant.now().plusSeconds(300)).block();

		assertThat(second.isRevoked("jti-shared").block()).isTrue();
		assertThat(second.isRevoked("jti-other").block()).isFalse();
	}

	@Test
	void anEntryExpiresWithItsToken() {
		RedisRevocationList list = list(redis.uri(), false);
		list.revoke("jti-short", Instant.now().plusSeconds(300)).block();

		Long ttl = commands(redis.uri()).flatMap((commands) -> commands.pttl("atrium:sts:revoked:jti-short")).block();

		assertThat(ttl).isBetween(290_000L, 300_000L);
	}

	@Test
	void whenRedisIsUnreachableLookupsFailClosedByDefault() {
		String nowhere = "redis://127.0.0.1:" + LoopbackPorts.free();
		// Refused at once: the lookups answer from the fail mode, not from a hang.

		assertThat(list(nowhere, false).isRevoked("jti-1").block(Duration.ofSeconds(5))).isTrue();
		assertThat(list(nowhere, true).isRevoked("jti-1").block(Duration.ofSeconds(5))).isFalse();
	}

	@Test
	void whenRedisDoesNotAnswerTheLookupEndsAtTheTimeout() throws IOException {
		// Accepts connections and never answers: a hung Redis.
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			RedisRevocationList list = new RedisRevocationList(
					RedisRevocationList.connection(client, "redis://127.0.0.1:" + silent.getLocalPort()),
					Duration.ofMillis(250), false, Clock.systemUTC());
			long started = System.nanoTime();

			Boolean revoked = list.isRevoked("jti-1").block(Duration.ofSeconds(5));

			assertThat(revoked).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		}
	}

	private static RedisRevocationList list(String uri, boolean failOpen) {
		return new RedisRevocationList(commands(uri), Duration.ofMillis(250), failOpen, Clock.systemUTC());
	}

	private static Mono<RedisReactiveCommands<String, String>> commands(String uri) {
		Mono<RedisReactiveCommands<String, String>> connection = RedisRevocationList.connection(client, uri);
		// Connected before use, as the gateway does at start.
		connection.onErrorResume((ex) -> Mono.empty()).block(Duration.ofSeconds(10));
		return connection;
	}

}
