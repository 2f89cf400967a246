package dev.atrium.gateway.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.atrium.observability.logging.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verified token's client goes into the log context of the rest of the request;
 * anonymous requests get none.
 */
class ClientIdLogContextWebFilterTests {

	private final ClientIdLogContextWebFilter filter = new ClientIdLogContextWebFilter();

	private final AtomicReference<Map<String, String>> seen = new AtomicReference<>();

	private final WebFilterChain chain = (exchange) -> Mono.delay(Duration.ofMillis(5))
		.doOnNext((tick) -> this.seen.set((MDC.getCopyOfContextMap() != null) ? MDC.getCopyOfContextMap() : Map.of()))
		.then();

	@BeforeEach
	void propagateContexts() {
		Hooks.enableAutomaticContextPropagation();
	}

	@AfterEach
	void stopPropagating() {
		Hooks.disableAutomaticContextPropagation();
	}

	@Test
	void theClientIdClaimComesFirstThenAzpThenTheSubject() {
		assertThat(ClientIdLogContextWebFilter.clientId(jwt(Map.of("client_id", "ai-agent-001", "azp", "ide"))))
			.isEqualTo("ai-agent-001");
		assertThat(ClientIdLogContextWebFilter.clientId(jwt(Map.of("azp", "vscode-mcp")))).isEqualTo("vscode-mcp");
		assertThat(ClientIdLogContextWebFilter.clientId(jwt(Map.of()))).isEqualTo("user-alice");
	}

	@Test
	void anAuthenticatedCallersClientIsInTheMdcOfTheRestOfTheRequest() {
		JwtAuthenticationToken authentication = new JwtAuthenticationToken(jwt(Map.of("client_id", "ai-agent-001")),
				List.of(new SimpleGrantedAuthority("SCOPE_mcp:read")));

		this.filter.filter(exchange(), this.chain)
			.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication))
			.block();

		assertThat(this.seen.get()).containsEntry(LogContext.CLIENT_ID, "ai-agent-001");
	}

	@Test
	void anAnonymousRequestHasNoClient() {
		this.filter.filter(exchange(), this.chain).block();

		assertThat(this.seen.get()).as("what the chain saw").isNotNull().doesNotContainKey(LogContext.CLIENT_ID);
	}

	@Test
	void itRunsRightAfterSpringSecurityAndSaysWhatItReads() {
		assertThat(this.filter.getOrder()).isEqualTo(-99);
		assertThat(this.filter).hasToString("ClientIdLogContext[client_id, azp, sub]");
	}

	private static Jwt jwt(Map<String, Object> claims) {
		Jwt.Builder jwt = Jwt.withTokenValue("not-logged").header("alg", "ES256").subject("user-alice");
		claims.forEach(jwt::claim);
		return jwt.build();
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.post("/internal/mcp"));
	}

}
