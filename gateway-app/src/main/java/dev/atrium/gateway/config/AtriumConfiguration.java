package dev.atrium.gateway.config;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import dev.atrium.mcp.jsonrpc.JsonLimits;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.session.SessionCodec;
import dev.atrium.mcp.session.LocalTerminatedSessions;
import dev.atrium.mcp.session.RedisTerminatedSessions;
import dev.atrium.mcp.session.SessionKeyRing;
import dev.atrium.mcp.session.TerminatedSessions;
import dev.atrium.sts.revocation.RedisRevocationList;
import dev.atrium.mcp.transport.StreamSlots;
import dev.atrium.observability.logging.LogRedaction;
import io.micrometer.core.instrument.Gauge;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Validator;

/**
 * The shared parts: clock, JSON, the session codec and the HTTP client to targets.
 */
@Configuration(proxyBeanMethods = false)
public class AtriumConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AtriumConfiguration.class);

	/** Ended session ids remembered per replica; older ones are forgotten first. */
	private static final int TERMINATED_SESSIONS_CAPACITY = 100_000;

	/** Boot applies this validator to every configuration properties class. */
	@Bean
	static Validator configurationPropertiesValidator() {
		return new AtriumPropertiesValidator();
	}

	@Bean
	Clock atriumClock() {
		return Clock.systemUTC();
	}

	@Bean
	JsonRpcCodec jsonRpcCodec(JsonMapper jsonMapper, AtriumProperties properties) {
		return new JsonRpcCodec(jsonMapper,
				new JsonLimits(properties.server().maxJsonDepth(), properties.server().maxJsonNumberLength()));
	}

	/** One count for all scenarios: a client's streams are capped wherever they are. */
	@Bean
	StreamSlots streamSlots(AtriumProperties properties) {
		return new StreamSlots(properties.server().maxStreamsPerClient());
	}

	/** How many requests hold a stream slot now: SSE answers and GET streams. */
	@Bean
	MeterBinder openStreamsMetric(StreamSlots slots) {
		return (registry) -> Gauge.builder("atrium.mcp.streams.open", slots, StreamSlots::total)
			.description("Requests holding a stream slot (SSE answers, GET streams), all clients")
			.register(registry);
	}

	/** The keys every replica shares: they seal session ids, and stream holders. */
	@Bean
	SessionKeyRing sessionKeyRing(AtriumProperties properties) {
		return keyRing(properties.session());
	}

	@Bean
	SessionCodec sessionCodec(AtriumProperties properties, SessionKeyRing sessionKeyRing, Clock clock,
			JsonMapper jsonMapper) {
		return new SessionCodec(sessionKeyRing, properties.session().lifetime(), clock, jsonMapper);
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnProperty("atrium.session.terminations.redis-uri")
	RedisClient sessionsRedisClient() {
		return RedisClient.create();
	}

	@Bean
	TerminatedSessions terminatedSessions(AtriumProperties properties, Clock clock,
			@Qualifier("sessionsRedisClient") ObjectProvider<RedisClient> redis) {
		LocalTerminatedSessions local = new LocalTerminatedSessions(TERMINATED_SESSIONS_CAPACITY,
				properties.session().lifetime(), clock);
		AtriumProperties.Terminations terminations = properties.session().terminations();
		RedisClient client = redis.getIfAvailable();
		if (terminations.redisUri() == null || client == null) {
			return local;
		}
		logger.info("Ended sessions shared through Redis {}", LogRedaction.uri(terminations.redisUri()));
		return new RedisTerminatedSessions(local,
				RedisRevocationList.connection(client, terminations.redisUri().toString()), terminations.timeout());
	}

	/**
	 * One connection pool for all targets, sized for long-lived streams rather than
	 * Reactor Netty's default of a few connections per core.
	 */
	@Bean(destroyMethod = "dispose")
	ConnectionProvider targetConnectionProvider() {
		return ConnectionProvider.builder("atrium-targets")
			.maxConnections(2_000)
			.pendingAcquireMaxCount(10_000)
			.maxIdleTime(Duration.ofSeconds(30))
			.build();
	}

	@Bean
	HttpClient targetHttpClient(ConnectionProvider targetConnectionProvider) {
		return HttpClient.create(targetConnectionProvider).compress(true);
	}

	private static SessionKeyRing keyRing(AtriumProperties.Session session) {
		if (session.keys().isEmpty()) {
			logger.warn("No atrium.session.keys configured: sealing sessions with a random key. "
					+ "Sessions will not survive a restart and will not move between replicas.");
			byte[] secret = new byte[32];
			new SecureRandom().nextBytes(secret);
			return SessionKeyRing
				.derive(List.of(new SessionKeyRing.Secret("random", Base64.getEncoder().encode(secret))));
		}
		return SessionKeyRing.derive(session.keys()
			.stream()
			.map((key) -> new SessionKeyRing.Secret(key.id(), key.secret().getBytes(StandardCharsets.UTF_8)))
			.toList());
	}

}
