package dev.atrium.gateway.sts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;
import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.context.TargetContextHeaders;
import dev.atrium.gateway.security.TrustedIssuers;
import dev.atrium.mcp.client.CallerHeaders;
import dev.atrium.observability.logging.LogRedaction;
import dev.atrium.sts.client.StsClient;
import dev.atrium.sts.client.StsClientAuthenticator;
import dev.atrium.sts.context.ContextHeaders;
import dev.atrium.sts.context.TargetTokens;
import dev.atrium.sts.exchange.DelegationChainValidator;
import dev.atrium.sts.exchange.GrantObserver;
import dev.atrium.sts.exchange.DelegationPolicy;
import dev.atrium.sts.exchange.Glob;
import dev.atrium.sts.exchange.StsSettings;
import dev.atrium.sts.exchange.TokenExchangeProvider;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.InMemoryRevocationList;
import dev.atrium.sts.revocation.RedisRevocationList;
import dev.atrium.sts.revocation.RevocationList;
import dev.atrium.sts.revocation.TokenRevoker;
import dev.atrium.sts.token.SignedTokenMinter;
import dev.atrium.sts.web.StsEndpoints;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Mounts the embedded STS under its issuer's path, and gives the gateway what it shares
 * with it: the key ring, the revocation list, the delegation policies, and the signed
 * context that targets receive.
 */
@Configuration(proxyBeanMethods = false)
public class StsConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(StsConfiguration.class);

	/**
	 * Verifiers may run this far behind: a retired key stays published this much longer.
	 */
	private static final Duration VERIFIER_CLOCK_SKEW = Duration.ofMinutes(1);

	@Bean
	@Primary
	StsKeyRing stsKeyRing(AtriumProperties properties, Clock clock) {
		AtriumProperties.Sts sts = properties.sts();
		if (sts.keySecret() == null && sts.enabled()) {
			logger.warn("atrium.sts.key-secret is not set: STS tokens are signed with a random key of this "
					+ "replica and do not verify on others nor after a restart");
		}
		return new StsKeyRing(keySecret(sts), sts.keyRotation(), sts.tokenLifetime().plus(VERIFIER_CLOCK_SKEW), clock);
	}

	/**
	 * The secret every STS and API-key signing key derives from: configured, else random.
	 */
	public static byte[] keySecret(AtriumProperties.Sts sts) {
		if (sts.keySecret() != null) {
			return sts.keySecret().getBytes(StandardCharsets.UTF_8);
		}
		byte[] random = new byte[48];
		new SecureRandom().nextBytes(random);
		return random;
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnProperty("atrium.sts.revocation.redis-uri")
	RedisClient stsRedisClient() {
		return RedisClient.create();
	}

	@Bean
	RevocationList stsRevocationList(AtriumProperties properties, Clock clock,
			@Qualifier("stsRedisClient") ObjectProvider<RedisClient> redis) {
		AtriumProperties.Revocation revocation = properties.sts().revocation();
		RedisClient client = redis.getIfAvailable();
		if (revocation.redisUri() == null || client == null) {
			return new InMemoryRevocationList(clock);
		}
		Mono<RedisReactiveCommands<String, String>> connection = RedisRevocationList.connection(client,
				revocation.redisUri().toString());
		// Connect now, in the background, so that the first lookup does not wait for it.
		connection.subscribe(
				(commands) -> logger.info("STS revocation list on Redis {}", LogRedaction.uri(revocation.redisUri())),
				(ex) -> logger.warn("Redis {} is not reachable yet: {}", LogRedaction.uri(revocation.redisUri()),
						ex.toString()));
		return new RedisRevocationList(connection, revocation.timeout(), revocation.failOpen(), clock);
	}

	@Bean
	DelegationChainValidator delegationChainValidator(AtriumProperties properties) {
		return new DelegationChainValidator(policies(properties.sts()));
	}

	@Bean
	ContextHeaders contextHeaders(AtriumProperties properties, StsKeyRing keys, Clock clock) {
		return new ContextHeaders(properties.sts().issuer().toString(),
				new SignedTokenMinter(keys, ContextHeaders.SIGNED_TYPE), clock);
	}

	@Bean
	CallerHeaders targetContextHeaders(AtriumProperties properties, ContextHeaders headers, StsKeyRing keys,
			Clock clock) {
		Map<String, String> tokenAudiences = new LinkedHashMap<>();
		properties.targets().forEach((name, target) -> {
			if (target.identity() == AtriumProperties.TargetIdentity.STS_TOKEN) {
				tokenAudiences.put(name, (target.audience() != null) ? target.audience() : defaultAudience(target));
			}
		});
		TargetTokens tokens = new TargetTokens(properties.sts().issuer().toString(), properties.sts().tokenLifetime(),
				new SignedTokenMinter(keys, SignedTokenMinter.ACCESS_TOKEN), clock);
		return new TargetContextHeaders(headers, tokens, tokenAudiences);
	}

	/** Puts the exchange into the Reactor context, where the caller headers read it. */
	@Bean
	ServerWebExchangeContextFilter serverWebExchangeContextFilter() {
		return new ServerWebExchangeContextFilter();
	}

	@Bean
	RouterFunction<ServerResponse> stsRoutes(AtriumProperties properties, StsKeyRing keys, RevocationList revocations,
			TrustedIssuers issuers, Clock clock, MeterRegistry meters, Environment environment,
			ObjectProvider<GrantObserver> observers) {
		AtriumProperties.Sts sts = properties.sts();
		if (!sts.enabled()) {
			return RouterFunctions.route().build();
		}
		String issuer = sts.issuer().toString();
		TokenExchangeProvider provider = new TokenExchangeProvider(settings(sts), policies(sts),
				issuers.verifier(sts.subjectIssuers()), new SignedTokenMinter(keys, SignedTokenMinter.ACCESS_TOKEN),
				clock);
		List<StsClient> clients = new ArrayList<>(clients(sts));
		devClient(sts, environment.getProperty("server.address")).ifPresent(clients::add);
		StsClientAuthenticator authenticator = new StsClientAuthenticator(clients, issuer,
				StsEndpoints.tokenEndpoint(issuer), clock);
		List<GrantObserver> told = new ArrayList<>();
		told.add(new StsGrantMetrics(meters));
		observers.orderedStream().forEach(told::add);
		GrantObserver observer = (attributes, grantType, clientId, result) -> told
			.forEach((each) -> each.observe(attributes, grantType, clientId, result));
		return new StsEndpoints(issuer, authenticator, provider, new TokenRevoker(keys, issuer, revocations), keys,
				observer)
			.routes();
	}

	static StsSettings settings(AtriumProperties.Sts sts) {
		List<String> audiences = sts.audiences().isEmpty() ? List.of(AtriumProperties.DEFAULT_STS_AUDIENCE)
				: sts.audiences();
		String defaultAudience = (sts.defaultAudience() != null) ? sts.defaultAudience() : audiences.get(0);
		return new StsSettings(sts.issuer().toString(), sts.tokenLifetime(), audiences, defaultAudience);
	}

	static List<DelegationPolicy> policies(AtriumProperties.Sts sts) {
		return sts.policies()
			.stream()
			.map((policy) -> new DelegationPolicy(policy.name(), Glob.of(policy.subjectPattern()),
					Glob.of(policy.actorPattern()), policy.allowedScopes(), policy.maxDelegationDepth(),
					policy.impersonation(), policy.complianceLevel(), policy.dataClassification()))
			.toList();
	}

	private static List<StsClient> clients(AtriumProperties.Sts sts) {
		return sts.clients().entrySet().stream().map((entry) -> {
			AtriumProperties.StsClient client = entry.getValue();
			Set<StsClient.Grant> grants = EnumSet.noneOf(StsClient.Grant.class);
			client.grantTypes().forEach((grant) -> grants.add(StsClient.Grant.valueOf(grant.name())));
			return new StsClient(entry.getKey(), client.secret(), keys(entry.getKey(), client.jwks()), grants,
					client.scopes(), client.tenant(), client.requestOrigin(), client.agent());
		}).toList();
	}

	/**
	 * The local development client, only while Atrium listens on loopback: a documented
	 * secret must never open a gateway that others can reach.
	 */
	static Optional<StsClient> devClient(AtriumProperties.Sts sts, String serverAddress) {
		if (sts.devClientSecret() == null) {
			return Optional.empty();
		}
		if (!loopback(serverAddress)) {
			logger.info("atrium.sts.dev-client-secret is ignored: Atrium listens beyond loopback ({})",
					(serverAddress != null) ? serverAddress : "all interfaces");
			return Optional.empty();
		}
		logger.warn("The embedded STS has the local development client '{}' (see the README); it exists only "
				+ "while Atrium listens on loopback", AtriumProperties.Sts.DEV_CLIENT);
		return Optional.of(new StsClient(AtriumProperties.Sts.DEV_CLIENT, sts.devClientSecret(), null,
				Set.of(StsClient.Grant.CLIENT_CREDENTIALS), List.of("mcp:read", "mcp:write", "mcp:debug"), null, null,
				Map.of()));
	}

	private static boolean loopback(String address) {
		if (address == null || address.isBlank()) {
			return false;
		}
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static JWKSet keys(String clientId, String jwks) {
		if (jwks == null) {
			return null;
		}
		try {
			return JWKSet.parse(jwks);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("atrium.sts.clients." + clientId + ".jwks is not a JWK Set", ex);
		}
	}

	/**
	 * The target's URL; for an OpenAPI target, which has none, its document's location;
	 * for a Lambda target, its function.
	 */
	private static String defaultAudience(AtriumProperties.Target target) {
		if (target.endpoint() != null) {
			return target.endpoint().toString();
		}
		return (target.openapi() != null) ? target.openapi().spec() : target.lambda().functionName();
	}

}
