package dev.atrium.benchmarks.plaingateway;

import java.util.List;

import dev.atrium.benchmarks.harness.ParentWatch;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * The floor of Atrium's stack: one Spring Cloud Gateway route ({@code /mcp} to the
 * upstream, from {@code spring.cloud.gateway.server.webflux.routes}) behind Spring
 * Security's JWT resource server (signature from the JWKS, issuer, expiry, audience), as
 * stateless as Atrium's own chain, and nothing else: no MCP parsing, no sessions, no
 * metrics.
 */
@SpringBootApplication
@EnableWebFluxSecurity
public class PlainGatewayApplication {

	public static void main(String[] args) {
		ParentWatch.exitWhenStdinCloses();
		SpringApplication.run(PlainGatewayApplication.class, args);
	}

	@Bean
	ReactiveJwtDecoder jwtDecoder(@Value("${bench.jwks-uri}") String jwksUri, @Value("${bench.issuer}") String issuer,
			@Value("${bench.audience}") String audience) {
		// The type is checked by the validator below, which knows RFC 9068's at+jwt.
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(jwksUri).validateType(false).build();
		JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
		type.setAllowEmpty(true);
		OAuth2TokenValidator<Jwt> audienceValidator = new JwtClaimValidator<List<String>>("aud",
				(audiences) -> audiences != null && audiences.contains(audience));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
				new JwtIssuerValidator(issuer), type, audienceValidator));
		return decoder;
	}

	@Bean
	SecurityWebFilterChain security(ServerHttpSecurity http) {
		return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt((jwt) -> {
			}))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.build();
	}

}
