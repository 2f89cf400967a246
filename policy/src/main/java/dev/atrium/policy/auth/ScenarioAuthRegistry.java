package dev.atrium.policy.auth;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerReactiveAuthenticationManagerResolver;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The scenarios' authentication, looked up by request path, and the
 * {@link ReactiveAuthenticationManagerResolver} that Spring Security's resource server
 * asks: it picks the scenario from the path, then the issuer from the token's {@code iss}
 * among the issuers that scenario trusts, and nothing else.
 */
public final class ScenarioAuthRegistry implements ReactiveAuthenticationManagerResolver<ServerWebExchange> {

	private final List<ScenarioAuth> scenarios;

	private final Map<String, JwtIssuerReactiveAuthenticationManagerResolver> resolvers = new HashMap<>();

	/**
	 * @param scenarios the scenarios
	 * @param decoders the decoder of each issuer, by its name
	 */
	public ScenarioAuthRegistry(List<ScenarioAuth> scenarios, Function<IssuerSpec, ReactiveJwtDecoder> decoders) {
		// Longest path first, so that /a/b wins over /a.
		this.scenarios = scenarios.stream()
			.sorted(Comparator.comparingInt((ScenarioAuth scenario) -> scenario.path().length()).reversed())
			.toList();
		Map<String, ReactiveAuthenticationManager> managers = new HashMap<>();
		for (ScenarioAuth scenario : scenarios) {
			Map<String, ReactiveAuthenticationManager> trusted = new HashMap<>();
			for (IssuerSpec issuer : scenario.issuers()) {
				ReactiveAuthenticationManager manager = managers.computeIfAbsent(issuer.name(),
						(name) -> manager(issuer, decoders.apply(issuer)));
				trusted.put(issuer.issuer(), manager);
			}
			this.resolvers.put(scenario.name(), new JwtIssuerReactiveAuthenticationManagerResolver(
					(issuer) -> Mono.justOrEmpty(trusted.get(issuer))));
		}
	}

	public List<ScenarioAuth> scenarios() {
		return this.scenarios;
	}

	/** The scenario whose MCP endpoints a path belongs to. */
	public Optional<ScenarioAuth> forPath(String path) {
		return this.scenarios.stream()
			.filter((scenario) -> path.equals(scenario.mcpPath()) || path.startsWith(scenario.path() + "/targets/"))
			.findFirst();
	}

	@Override
	public Mono<ReactiveAuthenticationManager> resolve(ServerWebExchange exchange) {
		return Mono.justOrEmpty(forPath(exchange.getRequest().getPath().value()))
			.flatMap((scenario) -> this.resolvers.get(scenario.name()).resolve(exchange));
	}

	/** Authenticates the tokens of one issuer, with its scopes as authorities. */
	public static ReactiveAuthenticationManager manager(IssuerSpec issuer, ReactiveJwtDecoder decoder) {
		JwtReactiveAuthenticationManager manager = new JwtReactiveAuthenticationManager(decoder);
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(new ScopeAuthoritiesConverter(issuer.scopePrefix()));
		manager.setJwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(converter));
		return manager;
	}

}
