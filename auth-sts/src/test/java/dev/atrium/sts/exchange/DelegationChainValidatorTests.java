package dev.atrium.sts.exchange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DelegationChainValidatorTests {

	private final DelegationChainValidator validator = new DelegationChainValidator(
			List.of(new DelegationPolicy("agent_delegation", Glob.of("user-*"), Glob.of("ai-agent-*"),
					List.of("mcp:read", "mcp:write:limited"), 2, false, null, null)));

	@Test
	void aTokenWithoutDelegationIsValid() {
		assertThat(this.validator.validate(Map.of("sub", "user-1"))).isEmpty();
	}

	@Test
	void aChainWithinPolicyIsValid() {
		assertThat(this.validator.validate(delegated("user-1", "ai-agent-1", List.of("mcp:read")))).isEmpty();
	}

	@Test
	void aStepToAnActorNoPolicyNamesIsRefused() {
		assertThat(this.validator.validate(delegated("user-1", "rogue-agent", List.of("mcp:read")))).get()
			.asString()
			.contains("no delegation policy allows step 1");
	}

	@Test
	void aStepWithScopesBeyondPolicyIsRefused() {
		assertThat(this.validator.validate(delegated("user-1", "ai-agent-1", List.of("mcp:admin")))).isPresent();
	}

	@Test
	void aChainThatDoesNotStartAtTheSubjectIsRefused() {
		Map<String, Object> claims = new HashMap<>(delegated("user-1", "ai-agent-1", List.of("mcp:read")));
		claims.put("sub", "user-2");

		assertThat(this.validator.validate(claims)).get().asString().contains("does not start at");
	}

	@Test
	void aChainLongerThanPolicyAllowsIsRefused() {
		Map<String, Object> act = Map.of("sub", "ai-agent-3", "act",
				Map.of("sub", "ai-agent-2", "act", Map.of("sub", "ai-agent-1")));
		List<Object> chain = List.of(step("user-1", "ai-agent-1"), step("ai-agent-1", "ai-agent-2"),
				step("ai-agent-2", "ai-agent-3"));

		assertThat(this.validator.validate(Map.of("sub", "user-1", "act", act, "delegation_chain", chain))).isPresent();
	}

	@Test
	void aChainThatDisagreesWithActIsRefused() {
		Map<String, Object> claims = new HashMap<>(delegated("user-1", "ai-agent-1", List.of("mcp:read")));
		claims.put("act", Map.of("sub", "ai-agent-2"));

		assertThat(this.validator.validate(claims)).get().asString().contains("does not name the acting party");
	}

	@Test
	void anActWithoutChainIsRefused() {
		assertThat(this.validator.validate(Map.of("sub", "user-1", "act", Map.of("sub", "ai-agent-1")))).isPresent();
	}

	private static Map<String, Object> delegated(String user, String agent, List<String> scopes) {
		return Map.of("sub", user, "act", Map.of("sub", agent), "delegation_chain",
				List.of(Map.of("delegator", user, "delegate", agent, "scope", scopes)));
	}

	private static Map<String, Object> step(String delegator, String delegate) {
		return Map.of("delegator", delegator, "delegate", delegate, "scope", List.of("mcp:read"));
	}

}
