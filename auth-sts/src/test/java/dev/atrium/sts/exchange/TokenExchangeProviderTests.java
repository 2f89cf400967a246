package dev.atrium.sts.exchange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.atrium.sts.client.StsClient;
import dev.atrium.sts.client.StsClient.Grant;
import dev.atrium.sts.exchange.TokenVerifier.InvalidTokenException;
import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import org.assertj.core.api.InstanceOfAssertFactories;

class TokenExchangeProviderTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private static final String GATEWAY = "https://gateway.example.com";

	private final MutableClock clock = new MutableClock(NOW);

	private final Map<String, VerifiedToken> tokens = new HashMap<>();

	private final List<JWTClaimsSet> minted = new ArrayList<>();

	private final StsClient agent = new StsClient("ai-agent-finance-001", "agent-secret", null,
			Set.of(Grant.TOKEN_EXCHANGE), List.of(), null, "web-app",
			Map.of("agent_type", "financial-assistant", "version", "2.1.0", "deployment_env", "production"));

	private final StsClient secondAgent = new StsClient("ai-agent-reports-002", "secret", null,
			Set.of(Grant.TOKEN_EXCHANGE), List.of(), null, null, Map.of());

	private final StsClient thirdParty = new StsClient("third-party-crm", "secret", null, Set.of(Grant.TOKEN_EXCHANGE),
			List.of(), null, null, Map.of());

	private final StsClient service = new StsClient("local-service", "secret", null, Set.of(Grant.CLIENT_CREDENTIALS),
			List.of("mcp:read", "mcp:write"), "acme-corp-12345", null, Map.of());

	private final TokenExchangeProvider provider = new TokenExchangeProvider(
			new StsSettings("https://sts.example.com", Duration.ofMinutes(5), List.of(GATEWAY, "mcp-servers"), GATEWAY),
			List.of(new DelegationPolicy("agent_delegation", Glob.of("user-*"), Glob.of("ai-agent-*"),
					List.of("mcp:read", "mcp:write:limited"), 2, false, "gdpr", "confidential"),
					new DelegationPolicy("third_party_delegation", Glob.of("user-*"), Glob.of("third-party-*"),
							List.of("mcp:read"), 1, false, null, null),
					new DelegationPolicy("support_impersonation", Glob.of("user-*"), Glob.of("support-desk"),
							List.of("mcp:read"), 1, true, null, null)),
			this::verify, (claims) -> {
				this.minted.add(claims);
				return "minted-" + this.minted.size();
			}, this.clock);

	TokenExchangeProviderTests() {
		Map<String, Object> user = new LinkedHashMap<>();
		user.put("iss", "https://keycloak.example.com/realms/atrium");
		user.put("sub", "user-john-doe");
		user.put("email", "john.doe@acme-corp.com");
		user.put("department", "finance");
		user.put("tenant_id", "acme-corp-12345");
		user.put("sid", "session-uuid-12345");
		user.put("exp", NOW.plusSeconds(3600).getEpochSecond());
		this.tokens.put("user", new VerifiedToken("keycloak", user, Set.of("mcp:read", "mcp:write")));
		this.tokens.put("agent", clientToken("ai-agent-finance-001"));
		this.tokens.put("second-agent", clientToken("ai-agent-reports-002"));
		this.tokens.put("third-party", clientToken("third-party-crm"));
	}

	@Test
	void exchangeWhenAgentActsForUserThenCompositeTokenIsMinted() throws Exception {
		ExchangeResult result = exchange(command(this.agent, "user", "agent"));

		assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
		ExchangeResult.Issued issued = (ExchangeResult.Issued) result;
		assertThat(issued.accessToken()).isEqualTo("minted-1");
		assertThat(issued.issuedTokenType()).isEqualTo(TokenTypes.ACCESS_TOKEN);
		assertThat(issued.expiresIn()).isEqualTo(300);
		assertThat(issued.scopes()).containsExactlyInAnyOrder("mcp:read", "mcp:write:limited");
		JWTClaimsSet claims = this.minted.get(0);
		assertThat(claims.getIssuer()).isEqualTo("https://sts.example.com");
		assertThat(claims.getSubject()).isEqualTo("user-john-doe");
		assertThat(claims.getAudience()).containsExactly(GATEWAY);
		assertThat(claims.getJWTID()).isEqualTo(issued.jti());
		assertThat(claims.getClaim("client_id")).isEqualTo("ai-agent-finance-001");
		assertThat(claims.getJSONObjectClaim("user_context")).containsEntry("user_id", "user-john-doe")
			.containsEntry("tenant_id", "acme-corp-12345")
			.containsEntry("department", "finance")
			.containsEntry("email", "john.doe@acme-corp.com");
		assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", "ai-agent-finance-001")
			.containsEntry("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_POOL")
			.containsEntry("agent_type", "financial-assistant")
			.containsEntry("version", "2.1.0")
			.containsEntry("deployment_env", "production");
		assertThat(claims.getListClaim("delegation_chain")).singleElement()
			.isEqualTo(Map.of("delegator", "user-john-doe", "delegate", "ai-agent-finance-001", "scope",
					List.of("mcp:read", "mcp:write:limited"), "timestamp", NOW.toString()));
		assertThat(claims.getJSONObjectClaim("business_context")).containsEntry("session_id", "session-uuid-12345")
			.containsEntry("request_origin", "web-app")
			.containsEntry("compliance_level", "gdpr")
			.containsEntry("data_classification", "confidential")
			.containsEntry("delegation_policy", "agent_delegation");
	}

	@Test
	void exchangeWhenScopeRequestedThenOnlyThoseScopesAreGranted() throws Exception {
		ExchangeResult result = exchange(command(this.agent, "user", "agent").withScope("mcp:read"));

		assertThat(((ExchangeResult.Issued) result).scopes()).containsExactly("mcp:read");
		assertThat(this.minted.get(0).getClaim("scope")).isEqualTo("mcp:read");
	}

	@Test
	void exchangeWhenAudienceAndResourceAllowedThenTokenNamesBoth() throws Exception {
		exchange(command(this.agent, "user", "agent").withTargets(List.of("mcp-servers"), List.of(GATEWAY)));

		assertThat(this.minted.get(0).getAudience()).containsExactly("mcp-servers", GATEWAY);
	}

	@Test
	void exchangeWhenSubjectExpiresSoonThenTokenExpiresWithIt() throws Exception {
		Map<String, Object> claims = new HashMap<>(this.tokens.get("user").claims());
		claims.put("exp", NOW.plusSeconds(90).getEpochSecond());
		this.tokens.put("short-user", new VerifiedToken("keycloak", claims, Set.of("mcp:read")));

		ExchangeResult.Issued issued = (ExchangeResult.Issued) exchange(command(this.agent, "short-user", "agent"));

		assertThat(issued.expiresIn()).isEqualTo(90);
	}

	@Test
	void exchangeWhenDelegatedTokenIsDelegatedAgainThenActorsNestAndChainGrows() throws Exception {
		exchange(command(this.agent, "user", "agent"));
		this.tokens.put("delegated", new VerifiedToken("atrium-sts", this.minted.get(0).getClaims(),
				Set.of("mcp:read", "mcp:write:limited")));

		ExchangeResult result = exchange(command(this.secondAgent, "delegated", "second-agent"));

		assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
		JWTClaimsSet claims = this.minted.get(1);
		Map<String, Object> act = claims.getJSONObjectClaim("act");
		assertThat(act).containsEntry("sub", "ai-agent-reports-002");
		assertThat(act.get("act")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("sub", "ai-agent-finance-001");
		assertThat(claims.getListClaim("delegation_chain")).hasSize(2);
		assertThat(claims.getListClaim("delegation_chain").get(1)).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("delegator", "ai-agent-finance-001")
			.containsEntry("delegate", "ai-agent-reports-002");
		assertThat(new DelegationChainValidator(this.provider.policies()).validate(claims.getClaims())).isEmpty();
	}

	@Test
	void exchangeWhenChainWouldExceedMaxDepthThenInvalidGrant() throws Exception {
		exchange(command(this.thirdParty, "user", "third-party"));
		this.tokens.put("delegated",
				new VerifiedToken("atrium-sts", this.minted.get(0).getClaims(), Set.of("mcp:read")));
		this.tokens.put("third-party-2", clientToken("third-party-crm"));

		assertRefused(command(this.thirdParty, "delegated", "third-party-2"), "invalid_grant", "depth 2");
		assertThat(this.minted).hasSize(1);
	}

	@Test
	void exchangeWhenClientMayNotUseTokenExchangeThenUnauthorizedClient() throws Exception {
		assertRefused(command(this.service, "user", null), "unauthorized_client", "token exchange");
	}

	@Test
	void exchangeWhenSubjectTokenMissingThenInvalidRequest() throws Exception {
		assertRefused(command(this.agent, null, "agent"), "invalid_request", "subject_token");
	}

	@Test
	void exchangeWhenActorTokenTypeMissingThenInvalidRequest() throws Exception {
		assertRefused(new TokenExchangeCommand(this.agent, "user", TokenTypes.ACCESS_TOKEN, "agent", null, null,
				List.of(), List.of(), null), "invalid_request", "actor_token_type");
	}

	@Test
	void exchangeWhenSubjectTokenIsAnIdTokenThenUnsupportedTokenType() throws Exception {
		assertRefused(new TokenExchangeCommand(this.agent, "user", TokenTypes.ID_TOKEN, "agent",
				TokenTypes.ACCESS_TOKEN, null, List.of(), List.of(), null), "unsupported_token_type",
				"subject_token_type");
	}

	@Test
	void exchangeWhenActorTokenTypeUnknownThenUnsupportedTokenType() throws Exception {
		assertRefused(
				new TokenExchangeCommand(this.agent, "user", TokenTypes.ACCESS_TOKEN, "agent",
						"urn:ietf:params:oauth:token-type:saml2", null, List.of(), List.of(), null),
				"unsupported_token_type", "actor_token_type");
	}

	@Test
	void exchangeWhenRequestedTokenTypeCannotBeIssuedThenUnsupportedTokenType() throws Exception {
		assertRefused(
				new TokenExchangeCommand(this.agent, "user", TokenTypes.ACCESS_TOKEN, "agent", TokenTypes.ACCESS_TOKEN,
						"urn:ietf:params:oauth:token-type:refresh_token", List.of(), List.of(), null),
				"unsupported_token_type", "requested_token_type");
	}

	@Test
	void exchangeWhenAudienceNotAllowedThenInvalidTarget() throws Exception {
		assertRefused(command(this.agent, "user", "agent").withTargets(List.of("https://evil.example.com"), List.of()),
				"invalid_target", "evil");
	}

	@Test
	void exchangeWhenResourceNotAllowedThenInvalidTarget() throws Exception {
		assertRefused(command(this.agent, "user", "agent").withTargets(List.of(), List.of("https://other.example")),
				"invalid_target", "other");
	}

	@Test
	void exchangeWhenSubjectTokenInvalidThenInvalidGrant() throws Exception {
		assertRefused(command(this.agent, "forged", "agent"), "invalid_grant", "subject_token");
	}

	@Test
	void exchangeWhenActorTokenInvalidThenInvalidGrant() throws Exception {
		assertRefused(command(this.agent, "user", "forged"), "invalid_grant", "actor_token");
	}

	@Test
	void exchangeWhenActorTokenBelongsToAnotherClientThenInvalidGrant() throws Exception {
		assertRefused(command(this.secondAgent, "user", "agent"), "invalid_grant", "authenticated client");
	}

	@Test
	void exchangeWhenNoPolicyLetsTheActorActThenInvalidGrant() throws Exception {
		Map<String, Object> admin = new HashMap<>(this.tokens.get("user").claims());
		admin.put("sub", "admin-root");
		this.tokens.put("admin", new VerifiedToken("keycloak", admin, Set.of("mcp:read")));

		assertRefused(command(this.agent, "admin", "agent"), "invalid_grant", "no delegation policy");
	}

	@Test
	void exchangeWhenMayActNamesAnotherActorThenInvalidGrant() throws Exception {
		Map<String, Object> claims = new HashMap<>(this.tokens.get("user").claims());
		claims.put("may_act", Map.of("sub", "ai-agent-reports-002"));
		this.tokens.put("restricted", new VerifiedToken("keycloak", claims, Set.of("mcp:read")));

		assertRefused(command(this.agent, "restricted", "agent"), "invalid_grant", "may_act");
	}

	@Test
	void exchangeWhenMayActNamesTheActorThenTokenIsMinted() throws Exception {
		Map<String, Object> claims = new HashMap<>(this.tokens.get("user").claims());
		claims.put("may_act", Map.of("sub", "ai-agent-finance-001", "iss",
				"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_POOL"));
		this.tokens.put("restricted", new VerifiedToken("keycloak", claims, Set.of("mcp:read")));

		assertThat(exchange(command(this.agent, "restricted", "agent"))).isInstanceOf(ExchangeResult.Issued.class);
	}

	@Test
	void exchangeWhenScopeBeyondSubjectThenInvalidScope() throws Exception {
		Map<String, Object> claims = new HashMap<>(this.tokens.get("user").claims());
		this.tokens.put("reader", new VerifiedToken("keycloak", claims, Set.of("mcp:read")));

		assertRefused(command(this.agent, "reader", "agent").withScope("mcp:write:limited"), "invalid_scope",
				"subject does not hold");
	}

	@Test
	void exchangeWhenScopeBeyondPolicyThenInvalidScope() throws Exception {
		assertRefused(command(this.agent, "user", "agent").withScope("mcp:write"), "invalid_scope", "does not allow");
	}

	@Test
	void exchangeWhenSubjectHoldsNoneOfThePolicyScopesThenInvalidScope() throws Exception {
		this.tokens.put("nobody", new VerifiedToken("keycloak", this.tokens.get("user").claims(), Set.of("email")));

		assertRefused(command(this.agent, "nobody", "agent"), "invalid_scope", "holds none");
	}

	@Test
	void exchangeWithoutActorWhenNoPolicyAllowsImpersonationThenInvalidGrant() throws Exception {
		assertRefused(command(this.agent, "user", null), "invalid_grant", "impersonate");
	}

	@Test
	void exchangeWithoutActorWhenPolicyAllowsImpersonationThenTokenHasNoAct() throws Exception {
		StsClient desk = new StsClient("support-desk", "secret", null, Set.of(Grant.TOKEN_EXCHANGE), List.of(), null,
				null, Map.of());

		ExchangeResult result = exchange(command(desk, "user", null));

		assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
		assertThat(this.minted.get(0).getClaim("act")).isNull();
		assertThat(this.minted.get(0).getSubject()).isEqualTo("user-john-doe");
		assertThat(this.minted.get(0).getClaim("scope")).isEqualTo("mcp:read");
	}

	@Test
	void clientCredentialsWhenAllowedThenServiceTokenIsMinted() {
		ExchangeResult result = this.provider.clientCredentials(this.service, "mcp:read", List.of());

		assertThat(result).isInstanceOf(ExchangeResult.Issued.class);
		JWTClaimsSet claims = this.minted.get(0);
		assertThat(claims.getSubject()).isEqualTo("local-service");
		assertThat(claims.getClaim("client_id")).isEqualTo("local-service");
		assertThat(claims.getClaim("tenant_id")).isEqualTo("acme-corp-12345");
		assertThat(claims.getClaim("scope")).isEqualTo("mcp:read");
		assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
	}

	@Test
	void clientCredentialsWhenClientMayNotUseThemThenUnauthorizedClient() {
		assertThat(this.provider.clientCredentials(this.agent, null, List.of())).isEqualTo(
				new ExchangeResult.Refused(StsError.unauthorizedClient("the client may not use client_credentials")));
		assertThat(this.minted).isEmpty();
	}

	@Test
	void clientCredentialsWhenScopeBeyondClientThenInvalidScope() {
		ExchangeResult result = this.provider.clientCredentials(this.service, "mcp:admin", List.of());

		assertThat(((ExchangeResult.Refused) result).error().code()).isEqualTo("invalid_scope");
		assertThat(this.minted).isEmpty();
	}

	@Test
	void clientCredentialsWhenResourceNotAllowedThenInvalidTarget() {
		ExchangeResult result = this.provider.clientCredentials(this.service, null, List.of("https://evil.example"));

		assertThat(((ExchangeResult.Refused) result).error().code()).isEqualTo("invalid_target");
		assertThat(this.minted).isEmpty();
	}

	private void assertRefused(TokenExchangeCommand command, String code, String description) {
		int mintedBefore = this.minted.size();
		ExchangeResult result = exchange(command);
		assertThat(result).isInstanceOf(ExchangeResult.Refused.class);
		StsError error = ((ExchangeResult.Refused) result).error();
		assertThat(error.code()).isEqualTo(code);
		assertThat(error.description()).contains(description);
		// Fail fast: a refusal mints nothing.
		assertThat(this.minted).hasSize(mintedBefore);
	}

	private ExchangeResult exchange(TokenExchangeCommand command) {
		return this.provider.exchange(command).block();
	}

	private Mono<VerifiedToken> verify(String token) {
		VerifiedToken verified = this.tokens.get(token);
		return (verified != null) ? Mono.just(verified)
				: Mono.error(new InvalidTokenException("its signature does not verify"));
	}

	private static VerifiedToken clientToken(String clientId) {
		return new VerifiedToken("cognito",
				Map.of("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_POOL", "sub", clientId,
						"client_id", clientId, "token_use", "access", "exp", NOW.plusSeconds(3600).getEpochSecond()),
				Set.of());
	}

	private static TokenExchangeCommand command(StsClient client, String subject, String actor) {
		return new TokenExchangeCommand(client, subject, (subject != null) ? TokenTypes.ACCESS_TOKEN : null, actor,
				(actor != null) ? TokenTypes.ACCESS_TOKEN : null, null, List.of(), List.of(), null);
	}

}
