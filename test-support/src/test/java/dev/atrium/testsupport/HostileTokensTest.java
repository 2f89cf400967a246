package dev.atrium.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hostile case, against a Cognito pool and two OIDC issuers, meets its expectation
 * when run through {@link StrictVerifier}; and no case makes anyone call the attacker.
 */
class HostileTokensTest {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:15:30Z"), ZoneOffset.UTC);

	private static final Duration SKEW = Duration.ofSeconds(30);

	private static LocalJwksServer server;

	private static LocalJwksServer attacker;

	private static CognitoUserPool pool;

	private static HostileTokens cognitoCases;

	private static StrictVerifier cognitoVerifier;

	private static OidcIssuer rsaIssuer;

	private static HostileTokens rsaCases;

	private static StrictVerifier rsaVerifier;

	private static OidcIssuer ecIssuer;

	private static HostileTokens ecCases;

	private static StrictVerifier ecVerifier;

	@BeforeAll
	static void startIssuers() {
		server = LocalJwksServer.start(CLOCK);
		attacker = LocalJwksServer.start(CLOCK);
		pool = CognitoUserPool.start(server, CLOCK);
		SigningKey old = pool.accessTokenKey();
		pool.rotateAccessTokenKey();
		pool.retireKey(old.kid());
		cognitoCases = HostileTokens.against(pool, attacker).clockSkew(SKEW).build();
		cognitoVerifier = StrictVerifier.forCognito(pool, SKEW);
		rsaIssuer = OidcIssuer.start(server, CLOCK);
		rsaCases = HostileTokens.against(rsaIssuer, attacker).clockSkew(SKEW).requiredType("at+jwt").build();
		rsaVerifier = StrictVerifier.forOidc(rsaIssuer, SKEW, "at+jwt");
		ecIssuer = OidcIssuer.builder(server, CLOCK)
			.path("/oidc/es")
			.algorithm(JWSAlgorithm.ES256)
			.tokenType("JWT")
			.audiences("atrium-gateway", "other")
			.build();
		ecCases = HostileTokens.against(ecIssuer, attacker).clockSkew(SKEW).requiredType("JWT").build();
		ecVerifier = StrictVerifier.forOidc(ecIssuer, SKEW, "JWT");
	}

	@AfterAll
	static void stopServers() {
		server.close();
		attacker.close();
	}

	static List<HostileToken> cognito() {
		return cognitoCases.all();
	}

	static List<HostileToken> rsa() {
		return rsaCases.all();
	}

	static List<HostileToken> ec() {
		return ecCases.all();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cognito")
	void cognitoCaseMeetsItsExpectation(HostileToken hostile) {
		assertOutcome(cognitoVerifier, hostile);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rsa")
	void rs256OidcCaseMeetsItsExpectation(HostileToken hostile) {
		assertOutcome(rsaVerifier, hostile);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ec")
	void es256OidcCaseMeetsItsExpectation(HostileToken hostile) {
		assertOutcome(ecVerifier, hostile);
	}

	@Test
	void noCaseMadeAnyoneCallTheAttacker() {
		cognitoCases.all().forEach((hostile) -> cognitoVerifier.accepts(hostile.token()));
		rsaCases.all().forEach((hostile) -> rsaVerifier.accepts(hostile.token()));
		assertThat(attacker.totalRequestCount()).isZero();
	}

	@Test
	void aFloodOfUnknownKidsIsVisibleAtTheJwksPath() {
		// The use the counter is for: Nimbus's JWKSourceBuilder rate-limits refetches to
		// one per 30 s by default, so a flood costs the issuer at most one more fetch.
		StrictVerifier fresh = StrictVerifier.forCognito(pool, SKEW);
		server.resetCounts();
		for (int i = 0; i < 50; i++) {
			fresh.accepts(pool.validAccessToken().header("kid", "flood-" + i).sign());
		}
		assertThat(server.requestCount(pool.jwksPath())).isBetween(1, 2);
	}

	@Test
	void cognitoSuiteHasEveryFamily() {
		assertThat(cognitoCases.names()).contains("valid-baseline", "alg-none-none-empty-signature",
				"alg-none-nOnE-no-signature-segment", "hs256-public-key-pem", "hs256-public-key-der", "embedded-jwk",
				"jku-foreign-host", "x5u-foreign-host", "kid-unknown", "kid-empty", "kid-10kb", "kid-path-traversal",
				"kid-sql-injection", "exp-past-beyond-skew", "exp-past-within-skew", "nbf-future-beyond-skew",
				"nbf-future-within-skew", "iat-future-beyond-skew", "exp-missing", "iss-other-host",
				"iss-trailing-slash", "cognito-id-token-as-access-token", "cognito-client-id-unknown",
				"malformed-two-segments", "malformed-four-segments", "malformed-bad-base64-header",
				"malformed-non-json-header", "huge-payload", "signature-stripped", "signature-other-key-same-kid",
				"signed-by-retired-key");
		// Cognito M2M tokens have no aud and no typ: no such cases.
		assertThat(cognitoCases.names()).noneMatch((name) -> name.startsWith("aud-") || name.startsWith("typ-"));
		assertThat(cognitoCases.accepted()).extracting(HostileToken::name)
			.containsExactly("valid-baseline", "unknown-extra-claim", "exp-past-within-skew", "nbf-future-within-skew",
					"iat-future-within-skew");
	}

	@Test
	void oidcSuiteHasAudienceAndTypeCases() {
		assertThat(rsaCases.names())
			.contains("aud-missing", "aud-other", "aud-array-without-ours", "aud-array-with-ours", "typ-JWT",
					"typ-missing", "typ-application-at+jwt", "alg-rs512-same-key")
			.doesNotContain("signed-by-retired-key")
			.noneMatch((name) -> name.startsWith("cognito-"));
		assertThat(ecCases.names()).contains("typ-at+jwt", "typ-application-JWT").doesNotContain("alg-rs512-same-key");
	}

	@Test
	void skewBoundariesSitOneSecondEitherSide() throws Exception {
		long now = CLOCK.instant().getEpochSecond();
		assertThat(claim(cognitoCases.named("exp-past-beyond-skew"), "exp")).isEqualTo(now - 31);
		assertThat(claim(cognitoCases.named("exp-past-within-skew"), "exp")).isEqualTo(now - 29);
		assertThat(claim(cognitoCases.named("nbf-future-beyond-skew"), "nbf")).isEqualTo(now + 31);
		assertThat(claim(cognitoCases.named("nbf-future-within-skew"), "nbf")).isEqualTo(now + 29);
		assertThat(claim(cognitoCases.named("iat-future-beyond-skew"), "iat")).isEqualTo(now + 31);
	}

	@Test
	void namesAreUniqueAndEveryCaseExplainsItself() {
		assertThat(rsaCases.names()).doesNotHaveDuplicates();
		assertThat(rsaCases.all()).allSatisfy((hostile) -> assertThat(hostile.why()).isNotBlank());
		assertThat(rsaCases.named("kid-10kb").token()).hasSizeGreaterThan(10 * 1024);
		assertThat(rsaCases.named("huge-payload").token()).hasSizeBetween(4096, 7 * 1024);
	}

	private static Object claim(HostileToken hostile, String name) throws Exception {
		return com.nimbusds.jwt.SignedJWT.parse(hostile.token()).getJWTClaimsSet().toJSONObject().get(name);
	}

	private static void assertOutcome(StrictVerifier verifier, HostileToken hostile) {
		String failure = verifier.failure(hostile.token());
		if (hostile.mustBeRejected()) {
			assertThat(failure).as("%s must be rejected: %s", hostile.name(), hostile.why()).isNotNull();
		}
		else {
			assertThat(failure).as("%s must be accepted: %s", hostile.name(), hostile.why()).isNull();
		}
	}

}
