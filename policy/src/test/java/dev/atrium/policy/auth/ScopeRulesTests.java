package dev.atrium.policy.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeRulesTests {

	@Test
	void theSeedsRulesNeedReadForListsAndWriteForCalls() {
		OperationScopes rules = OperationScopes.defaults();
		assertThat(rules.required("tools/list")).contains("mcp:read");
		assertThat(rules.required("tools/call")).containsExactly("mcp:write", "mcp:write:limited");
		assertThat(rules.required("initialize")).isEmpty();
		assertThat(rules.required("server/discover")).isEmpty();
		assertThat(rules.required("some/new-method")).contains("mcp:read");
		assertThat(rules.required("logging/setLevel")).containsExactly("mcp:debug");
	}

	@Test
	void followingATaskNeedsReadAndCancellingItNeedsWrite() {
		OperationScopes rules = OperationScopes.defaults();
		assertThat(rules.required("tasks/get")).contains("mcp:read");
		assertThat(rules.required("tasks/result")).contains("mcp:read");
		assertThat(rules.required("tasks/list")).contains("mcp:read");
		assertThat(rules.required("tasks/cancel")).containsExactly("mcp:write", "mcp:write:limited");
	}

	@Test
	void aScenarioReplacesTheRulesItLists() {
		OperationScopes rules = OperationScopes.defaults().with(Map.of("tools/call", List.of("mcp:admin")));
		assertThat(rules.required("tools/call")).containsExactly("mcp:admin");
		assertThat(rules.required("tools/list")).contains("mcp:read");
		assertThat(rules.allScopes()).contains("mcp:admin", "mcp:read", "mcp:debug");
	}

	@Test
	void cognitoScopesLoseTheirResourceServerPrefix() {
		Jwt jwt = jwt(Map.of("scope", "atrium/mcp:read atrium/mcp:write other/x"));
		assertThat(authorities(new ScopeAuthoritiesConverter("atrium/").convert(jwt))).containsExactly("SCOPE_mcp:read",
				"SCOPE_mcp:write", "SCOPE_other/x");
	}

	@Test
	void scpListsCountToo() {
		Jwt jwt = jwt(Map.of("scp", List.of("mcp:read", "mcp:debug")));
		assertThat(authorities(new ScopeAuthoritiesConverter(null).convert(jwt))).containsExactly("SCOPE_mcp:read",
				"SCOPE_mcp:debug");
	}

	@Test
	void claimRulesCompareAsConfigured() {
		assertThat(new ClaimRule("groups", ClaimRule.Operator.CONTAINS, List.of("admins")).test(List.of("a", "admins")))
			.isTrue();
		assertThat(new ClaimRule("groups", ClaimRule.Operator.CONTAINS_ANY, List.of("x", "y")).test(List.of("a", "y")))
			.isTrue();
		assertThat(new ClaimRule("tier", ClaimRule.Operator.EQUALS, List.of("premium")).test(List.of("premium")))
			.isFalse();
		assertThat(new ClaimRule("tier", ClaimRule.Operator.EQUALS, List.of("premium")).test(null)).isFalse();
	}

	@Test
	void challengesCarryTheResourceMetadataAndStripUnsafeCharacters() {
		assertThat(BearerChallenges.header("https://gw/.well-known/oauth-protected-resource/internal/mcp",
				List.of("mcp:write"), "insufficient_scope", "needs \"write\""))
			.isEqualTo("Bearer error=\"insufficient_scope\", error_description=\"needs write\", scope=\"mcp:write\", "
					+ "resource_metadata=\"https://gw/.well-known/oauth-protected-resource/internal/mcp\"");
		assertThat(BearerChallenges.header("https://gw/m", List.of(), null, null))
			.isEqualTo("Bearer resource_metadata=\"https://gw/m\"");
	}

	private static Jwt jwt(Map<String, Object> claims) {
		Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").issuedAt(Instant.now());
		claims.forEach(builder::claim);
		return builder.build();
	}

	private static List<String> authorities(java.util.Collection<GrantedAuthority> authorities) {
		return authorities.stream().map(GrantedAuthority::getAuthority).toList();
	}

}
