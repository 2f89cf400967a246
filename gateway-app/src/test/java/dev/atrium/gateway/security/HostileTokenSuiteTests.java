package dev.atrium.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import dev.atrium.testsupport.CognitoUserPool;
import dev.atrium.testsupport.HostileToken;
import dev.atrium.testsupport.HostileTokens;
import dev.atrium.testsupport.LocalJwksServer;
import dev.atrium.testsupport.OidcIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT attack suite against a running Atrium: every hostile token is refused with 401
 * and an {@code invalid_token} challenge (or 431 when it overflows the header limit), the
 * few lawful edge cases pass, and no key is ever fetched from a host a token names.
 * Atrium and the issuers share one fixed clock, so the skew boundaries are exact.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileTokenSuiteTests {

	static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

	static final LocalJwksServer issuers = LocalJwksServer.start(CLOCK);

	static final LocalJwksServer attacker = LocalJwksServer.start(CLOCK);

	static final CognitoUserPool cognito = CognitoUserPool.start(issuers, CLOCK);

	static final OidcIssuer keycloak = OidcIssuer.builder(issuers, CLOCK).tokenType("at+jwt").build();

	static final HostileTokens cognitoAttacks;

	static final HostileTokens keycloakAttacks;

	static {
		// A key rotated out before Atrium ever fetched the keys: tokens it signs must
		// fail.
		String retired = cognito.accessTokenKey().kid();
		cognito.rotateAccessTokenKey();
		cognito.retireKey(retired);
		cognitoAttacks = HostileTokens.against(cognito, attacker).build();
		keycloakAttacks = HostileTokens.against(keycloak, attacker).requiredType("at+jwt").build();
	}

	private static final String INITIALIZE = """
			{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
			 "capabilities":{},"clientInfo":{"name":"attacker","version":"1"}}}""";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		registry.add("atrium.issuers.cognito.type", () -> "cognito");
		registry.add("atrium.issuers.cognito.issuer-uri", cognito::issuer);
		registry.add("atrium.issuers.cognito.jwks-uri", () -> cognito.jwksUri().toString());
		registry.add("atrium.issuers.cognito.clients", cognito::defaultClientId);
		registry.add("atrium.issuers.keycloak.type", () -> "keycloak");
		registry.add("atrium.issuers.keycloak.issuer-uri", keycloak::issuer);
		registry.add("atrium.issuers.keycloak.required-type", () -> "at+jwt");
		registry.add("atrium.issuers.keycloak.audiences", () -> String.join(",", keycloak.audiences()));
		registry.add("atrium.scenarios.consumer.anonymous", () -> "false");
		registry.add("atrium.scenarios.consumer.issuers", () -> "cognito");
		registry.add("atrium.scenarios.internal.anonymous", () -> "false");
		registry.add("atrium.scenarios.internal.issuers", () -> "keycloak");
	}

	@AfterAll
	static void stop() {
		issuers.close();
		attacker.close();
	}

	@TestFactory
	Stream<DynamicTest> cognitoAttacksAreRefused() {
		return cognitoAttacks.all()
			.stream()
			.map((hostile) -> DynamicTest.dynamicTest(hostile.name(), () -> assertAnswer("/consumer/mcp", hostile)));
	}

	@TestFactory
	Stream<DynamicTest> keycloakAttacksAreRefused() {
		return keycloakAttacks.all()
			.stream()
			.map((hostile) -> DynamicTest.dynamicTest(hostile.name(), () -> assertAnswer("/internal/mcp", hostile)));
	}

	@Test
	void noKeyIsEverFetchedFromAHostATokenNames() {
		Stream.concat(cognitoAttacks.all().stream(), keycloakAttacks.all().stream())
			.filter((hostile) -> !oversized(hostile))
			.forEach((hostile) -> send(cognitoAttacks.all().contains(hostile) ? "/consumer/mcp" : "/internal/mcp",
					hostile.token())
				.expectStatus()
				.value((status) -> assertThat(status).isIn(200, 401)));
		assertThat(attacker.totalRequestCount()).isZero();
	}

	private void assertAnswer(String path, HostileToken hostile) {
		if (oversized(hostile)) {
			// Refused by the HTTP layer before any cryptography. Sent without a body: a
			// client still writing one when the server answers and closes may never
			// read the answer.
			client().post()
				.uri(path)
				.header("Authorization", "Bearer " + hostile.token())
				.exchange()
				.expectStatus()
				.isEqualTo(431);
			return;
		}
		WebTestClient.ResponseSpec response = send(path, hostile.token());
		if (!hostile.mustBeRejected()) {
			response.expectStatus().isOk();
			return;
		}

		String challenge = response.expectStatus()
			.isUnauthorized()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("WWW-Authenticate");
		assertThat(challenge).as(hostile.why()).startsWith("Bearer error=\"invalid_token\"");
	}

	/** Over Atrium's header limit, {@code server.max-http-request-header-size}. */
	private static boolean oversized(HostileToken hostile) {
		return hostile.authorizationHeaderLength() > 16 * 1024;
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	private WebTestClient.ResponseSpec send(String path, String token) {
		return client().post()
			.uri(path)
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
			.bodyValue(INITIALIZE)
			.exchange();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FixedClock {

		@Bean
		@Primary
		Clock fixedClock() {
			return CLOCK;
		}

	}

}
