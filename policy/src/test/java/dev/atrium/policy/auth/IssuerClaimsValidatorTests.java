package dev.atrium.policy.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class IssuerClaimsValidatorTests {

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private static final Duration SKEW = Duration.ofSeconds(60);

	private static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool";

	@Test
	void aCurrentAccessTokenFromTheIssuerPasses() {
		assertThat(validate(cognito(), (jwt) -> {
		})).isEmpty();
	}

	@Test
	void theIssuerMustMatchExactlyEvenItsTrailingSlash() {
		assertThat(validate(cognito(), (jwt) -> jwt.claim("iss", ISSUER + "/"))).anyMatch((e) -> e.contains("issuer"));
		assertThat(validate(cognito(), (jwt) -> jwt.claim("iss", "https://evil.example.com"))).isNotEmpty();
	}

	@Test
	void aTokenWithoutExpiryIsRefused() {
		assertThat(validate(cognito(), (jwt) -> jwt.claims((claims) -> claims.remove("exp"))))
			.contains("the token has no expiry");
	}

	@Test
	void expiryIsJudgedWithTheSkewOnTheInjectedClock() {
		Instant issued = NOW.minus(Duration.ofHours(2));
		assertThat(validate(cognito(), (jwt) -> jwt.issuedAt(issued).expiresAt(NOW.minus(SKEW).plusSeconds(1))))
			.isEmpty();
		assertThat(validate(cognito(), (jwt) -> jwt.issuedAt(issued).expiresAt(NOW.minus(SKEW))))
			.anyMatch((e) -> e.contains("expired"));
	}

	@Test
	void notBeforeAndIssuedAtInTheFutureAreRefusedPastTheSkew() {
		assertThat(validate(cognito(), (jwt) -> jwt.notBefore(NOW.plus(SKEW)))).isEmpty();
		assertThat(validate(cognito(), (jwt) -> jwt.notBefore(NOW.plus(SKEW).plusSeconds(1))))
			.anyMatch((e) -> e.contains("not valid before"));
		assertThat(validate(cognito(), (jwt) -> jwt.issuedAt(NOW.plus(SKEW).plusSeconds(1))))
			.anyMatch((e) -> e.contains("future"));
	}

	@Test
	void aCognitoIdTokenIsNotAnAccessToken() {
		assertThat(validate(cognito(), (jwt) -> jwt.claim("token_use", "id")))
			.contains("only Cognito access tokens are accepted (token_use=access)");
	}

	@Test
	void aCognitoClientNotAllowedIsRefused() {
		assertThat(validate(cognito(), (jwt) -> jwt.claim("client_id", "someone-else")))
			.contains("the token's client is not allowed here");
	}

	@Test
	void audiencesAreCheckedWhereConfigured() {
		IssuerSpec keycloak = spec(IssuerType.KEYCLOAK, List.of("https://gw.example.com/internal/mcp"), List.of());
		Consumer<Jwt.Builder> keycloakToken = (jwt) -> jwt.claim("typ", "Bearer");
		assertThat(validate(keycloak,
				keycloakToken
					.andThen((jwt) -> jwt.audience(List.of("account", "https://gw.example.com/internal/mcp")))))
			.isEmpty();
		assertThat(validate(keycloak, keycloakToken.andThen((jwt) -> jwt.audience(List.of("account")))))
			.contains("the token is not meant for this resource (aud)");
		assertThat(validate(keycloak, keycloakToken)).contains("the token is not meant for this resource (aud)");
	}

	@Test
	void aKeycloakIdTokenIsNotAnAccessToken() {
		IssuerSpec keycloak = spec(IssuerType.KEYCLOAK, List.of(), List.of());
		assertThat(validate(keycloak, (jwt) -> jwt.claim("typ", "ID")))
			.contains("only Keycloak access tokens are accepted (typ=Bearer)");
	}

	@Test
	void claimRulesMustHold() {
		IssuerSpec withRule = new IssuerSpec("c", IssuerType.OIDC, ISSUER, null, Set.of("RS256"), List.of(), List.of(),
				List.of(new ClaimRule("tenant", ClaimRule.Operator.EQUALS, List.of("acme"))), null, null, SKEW,
				Duration.ofMinutes(5));
		assertThat(validate(withRule, (jwt) -> jwt.claim("tenant", "acme"))).isEmpty();
		assertThat(validate(withRule, (jwt) -> jwt.claim("tenant", "globex"))).isNotEmpty();
	}

	private static IssuerSpec cognito() {
		return spec(IssuerType.COGNITO, List.of(), List.of("bff-app"));
	}

	private static IssuerSpec spec(IssuerType type, List<String> audiences, List<String> clients) {
		return new IssuerSpec("test", type, ISSUER, null, Set.of("RS256"), audiences, clients, List.of(), "atrium/",
				null, SKEW, Duration.ofMinutes(5));
	}

	private static List<String> validate(IssuerSpec spec, Consumer<Jwt.Builder> customizer) {
		Jwt.Builder builder = Jwt.withTokenValue("token")
			.header("alg", "RS256")
			.claim("iss", ISSUER)
			.subject("bff-app")
			.claim("token_use", "access")
			.claim("client_id", "bff-app")
			.claim("scope", "atrium/mcp:read")
			.issuedAt(NOW.minusSeconds(10))
			.expiresAt(NOW.plusSeconds(3600));
		customizer.accept(builder);
		OAuth2TokenValidatorResult result = new IssuerClaimsValidator(spec, Clock.fixed(NOW, ZoneOffset.UTC))
			.validate(builder.build());
		return result.getErrors().stream().map(OAuth2Error::getDescription).toList();
	}

}
