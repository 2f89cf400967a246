package dev.atrium.gateway.security;

import java.time.Clock;
import java.util.List;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.policy.auth.McpBearerEntryPoint;
import dev.atrium.policy.auth.ScenarioAuth;
import dev.atrium.policy.auth.ScenarioAuthRegistry;
import dev.atrium.policy.auth.ScopeAuthoritiesConverter;
import dev.atrium.sts.exchange.DelegationChainValidator;
import dev.atrium.sts.keys.StsKeyRing;
import dev.atrium.sts.revocation.RevocationList;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;

/**
 * Spring Security's reactive resource server in front of the MCP endpoints of every
 * scenario that is not anonymous; everything else (actuator, metadata, the demo target)
 * passes. Both chains are stateless: no session, no saved request, no CSRF token.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

	@Bean
	TrustedIssuers trustedIssuers(AtriumProperties properties, StsKeyRing stsKeys, DelegationChainValidator chains,
			RevocationList revocations, Clock clock) {
		return new TrustedIssuers(ScenarioAuthFactory.issuers(properties), stsKeys, chains, revocations, clock);
	}

	@Bean
	ScenarioAuthRegistry scenarioAuthRegistry(AtriumProperties properties, TrustedIssuers issuers) {
		return new ScenarioAuthRegistry(ScenarioAuthFactory.create(properties), issuers::decoder);
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
