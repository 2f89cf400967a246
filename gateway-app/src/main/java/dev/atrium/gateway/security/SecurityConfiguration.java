package dev.atrium.gateway.security;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.observability.audit.AuditTrail;
import dev.atrium.policy.auth.IssuerSpec;
import dev.atrium.policy.auth.McpBearerEntryPoint;
import dev.atrium.policy.auth.ScenarioAuth;
import dev.atrium.policy.auth.ScenarioAuthRegistry;
import dev.atrium.policy.auth.ScopeAuthoritiesConverter;
import dev.atrium.sts.exchange.DelegationChainValidator;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.RevocationList;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerReactiveAuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.web.access.server.BearerTokenServerAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Spring Security's reactive resource server in front of the MCP endpoints of every
 * scenario that is not anonymous; everything else (actuator, metadata, the demo target)
 * passes. Both chains are stateless: no session, no saved request, no CSRF token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

	/** The scope that administration needs (the seed's {@code gateway:admin}). */
	public static final String ADMIN_SCOPE = "gateway:admin";

	/**
	 * Spring Security observes its authentications and authorizations (a metric and a
	 * span each), not the passage through every filter of the chain: two more
	 * observations per request, each with a long-task timer and a span, that cost a few
	 * percent of the CPU of a request (docs/benchmarks.md, "What limits Atrium") and tell
	 * nothing the server span and Atrium's MCP metrics do not.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
	}

	@Bean
	TrustedIssuers trustedIssuers(AtriumProperties properties, StsKeyRing stsKeyRing, StsKeyRing apiKeyRing,
			DelegationChainValidator chains, RevocationList revocations, Clock clock) {
		return new TrustedIssuers(ScenarioAuthFactory.issuers(properties), stsKeyRing, apiKeyRing, chains, revocations,
				clock);
	}

	@Bean
	EarlyRefusals earlyRefusals(AtriumProperties properties, MeterRegistry registry, ObjectProvider<AuditTrail> trail) {
		return new EarlyRefusals(properties, registry, trail.getIfAvailable());
	}

	@Bean
	ScenarioAuthRegistry scenarioAuthRegistry(AtriumProperties properties, TrustedIssuers issuers) {
		return new ScenarioAuthRegistry(ScenarioAuthFactory.create(properties), issuers::decoder);
	}

	/**
	 * The administration endpoints: a bearer token from one of the admin issuers with the
	 * scope {@code gateway:admin}; nobody when no admin issuer is configured.
	 */
	@Bean
	@Order(0)
	SecurityWebFilterChain adminSecurity(ServerHttpSecurity http, AtriumProperties properties, TrustedIssuers issuers) {
		Map<String, ReactiveAuthenticationManager> managers = new HashMap<>();
		for (IssuerSpec issuer : ScenarioAuthFactory.issuers(properties)) {
			if (properties.apiKeys().adminIssuers().contains(issuer.name())) {
				managers.put(issuer.issuer(), ScenarioAuthRegistry.manager(issuer, issuers.decoder(issuer)));
			}
		}
		http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/admin/**"))
			.authorizeExchange(
					(exchanges) -> exchanges.anyExchange().hasAuthority(ScopeAuthoritiesConverter.PREFIX + ADMIN_SCOPE))
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.authenticationManagerResolver(new JwtIssuerReactiveAuthenticationManagerResolver(
						(issuer) -> Mono.justOrEmpty(managers.get(issuer))))
				.authenticationEntryPoint(new BearerTokenServerAuthenticationEntryPoint())
				.accessDeniedHandler(new BearerTokenServerAccessDeniedHandler()));
		return stateless(http).build();
	}

	@Bean
	@Order(1)
	SecurityWebFilterChain mcpEndpointsSecurity(ServerHttpSecurity http, ScenarioAuthRegistry registry) {
		ServerWebExchangeMatcher authenticatedScenarios = (exchange) -> registry
			.forPath(exchange.getRequest().getPath().value())
			.filter((scenario) -> !scenario.anonymous())
			.map((scenario) -> ServerWebExchangeMatcher.MatchResult.match())
			.orElseGet(ServerWebExchangeMatcher.MatchResult::notMatch);
		http.securityMatcher(authenticatedScenarios).authorizeExchange((exchanges) -> {
			for (ScenarioAuth scenario : registry.scenarios()) {
				// A pass-through route is not parsed, so any message may be a call:
				// it takes the scopes that calls need.
				List<String> callScopes = scenario.operations().required("tools/call");
				if (!callScopes.isEmpty()) {
					exchanges.pathMatchers(scenario.path() + "/targets/**")
						.hasAnyAuthority(callScopes.stream()
							.map((scope) -> ScopeAuthoritiesConverter.PREFIX + scope)
							.toArray(String[]::new));
				}
			}
			exchanges.anyExchange().authenticated();
		})
			.oauth2ResourceServer((resourceServer) -> resourceServer.authenticationManagerResolver(registry)
				.authenticationEntryPoint(new McpBearerEntryPoint(registry))
				.accessDeniedHandler(new InsufficientScopeHandler(registry)));
		return stateless(http).build();
	}

	@Bean
	@Order(2)
	SecurityWebFilterChain everythingElseSecurity(ServerHttpSecurity http) {
		http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll());
		return stateless(http).build();
	}

	private static ServerHttpSecurity stateless(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
	}

}
