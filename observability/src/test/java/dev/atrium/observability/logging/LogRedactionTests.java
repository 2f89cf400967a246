package dev.atrium.observability.logging;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What looks like a credential is replaced; what only resembles one stays.
 */
class LogRedactionTests {

	private static final String JWT = "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9"
			+ ".eyJzdWIiOiJ1c2VyLWFsaWNlIiwiY2xpZW50X2lkIjoiYWktYWdlbnQtMDAxIn0"
			+ ".MEUCIQDx3v8Qk-9f_7a0wWZbQ2Jw6qg1Yx0y9Kp2V0dKc2u8AIgK4m2";

	@Test
	void aJwtAnywhereInALineIsRedacted() {
		assertThat(LogRedaction.redact("token " + JWT + " refused")).isEqualTo("token [REDACTED] refused");
		assertThat(LogRedaction.redact("{\"api_key\":\"" + JWT + "\"}")).doesNotContain("eyJ");
		assertThat(LogRedaction.redact("a JWE eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d end")).isEqualTo("a JWE [REDACTED] end");
	}

	@Test
	void credentialsAfterAnAuthenticationSchemeAreRedacted() {
		assertThat(LogRedaction.redact("Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA"))
			.isEqualTo("Authorization: Bearer [REDACTED]");
		assertThat(LogRedaction.redact("authorization=Basic c3ZjLXJlcG9ydGluZzpzZWNyZXQ="))
			.isEqualTo("authorization=Basic [REDACTED]");
		assertThat(LogRedaction.redact("DPoP Kz~8qF0-ba.Xy")).isEqualTo("DPoP [REDACTED]");
	}

	@Test
	void wordsAfterASchemeNameStay() {
		String prose = "Basic authentication failed; Bearer realm missing; bearer tokens only";
		assertThat(LogRedaction.redact(prose)).isEqualTo(prose);
	}

	@Test
	void valuesOfSecretParametersAreRedacted() {
		assertThat(LogRedaction.redact("grant_type=client_credentials&client_secret=s3cr3t-value&scope=mcp:read"))
			.isEqualTo("grant_type=client_credentials&client_secret=[REDACTED]&scope=mcp:read");
		assertThat(LogRedaction.redact("subject_token=abc.def&actor_token=ghi"))
			.isEqualTo("subject_token=[REDACTED]&actor_token=[REDACTED]");
		assertThat(LogRedaction.redact("{\"password\": \"hunter22\", \"user\": \"bob\"}"))
			.isEqualTo("{\"password\": \"[REDACTED]\", \"user\": \"bob\"}");
		assertThat(LogRedaction.redact("escaped {\\\"client_secret\\\":\\\"abc\\\"}"))
			.isEqualTo("escaped {\\\"client_secret\\\":\\\"[REDACTED]\\\"}");
		assertThat(LogRedaction.redact("atrium.sts.key-secret=0123456789abcdef API_KEY: k-42"))
			.isEqualTo("atrium.sts.key-secret=[REDACTED] API_KEY: [REDACTED]");
	}

	@Test
	void parameterNamesInProseStay() {
		String prose = "atrium.sts.key-secret is not set: tokens are signed with a random key; client_id=svc";
		assertThat(LogRedaction.redact(prose)).isEqualTo(prose);
	}

	@Test
	void passwordsInUrlsAreRedacted() {
		assertThat(LogRedaction.redact("Redis redis://:p4ss@cache:6379 is not reachable"))
			.isEqualTo("Redis redis://:[REDACTED]@cache:6379 is not reachable");
		assertThat(LogRedaction.redact("rediss://atrium:s3cret@cache.example.com"))
			.isEqualTo("rediss://atrium:[REDACTED]@cache.example.com");
		String plain = "https://issuer.example.com:8443/realms/atrium and user@example.com";
		assertThat(LogRedaction.redact(plain)).isEqualTo(plain);
	}

	@Test
	void uriToLogLeavesTheUserInfoOut() {
		assertThat(LogRedaction.uri(URI.create("rediss://atrium:s3cret@cache.example.com:6379/0")))
			.isEqualTo("rediss://cache.example.com:6379/0");
		assertThat(LogRedaction.uri(URI.create("redis://:s3cret@cache:6379"))).isEqualTo("redis://cache:6379");
		assertThat(LogRedaction.uri(URI.create("redis://cache:6379"))).isEqualTo("redis://cache:6379");
	}

	@Test
	void replacementsAreLiteral() {
		assertThat(LogRedaction.redact("password=a$1b rest")).isEqualTo("password=[REDACTED] rest");
	}

}
