package dev.atrium.gateway.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.policy.auth.ClaimRule;
import dev.atrium.policy.auth.IssuerSpec;
import dev.atrium.policy.auth.OperationScopes;
import dev.atrium.policy.auth.ScenarioAuth;

/**
 * Turns {@code atrium.issuers} and each scenario's issuers and scopes into the policy
 * module's model.
 */
final class ScenarioAuthFactory {

	private ScenarioAuthFactory() {
	}

	static List<ScenarioAuth> create(AtriumProperties properties) {
		List<ScenarioAuth> scenarios = new ArrayList<>();
		properties.scenarios().forEach((name, scenario) -> {
			List<IssuerSpec> issuers = scenario.issuers()
				.stream()
				.map((issuer) -> issuer(issuer, properties.issuers().get(issuer)))
				.toList();
			scenarios.add(new ScenarioAuth(name, scenario.path(), issuers, scenario.anonymous(),
					OperationScopes.defaults().with(scenario.scopes())));
		});
		return scenarios;
	}

	/** Every configured issuer, whether a scenario trusts it or only the STS does. */
	static List<IssuerSpec> issuers(AtriumProperties properties) {
		return properties.issuers()
			.entrySet()
			.stream()
			.map((entry) -> issuer(entry.getKey(), entry.getValue()))
			.toList();
	}

	private static IssuerSpec issuer(String name, AtriumProperties.Issuer issuer) {
		List<ClaimRule> claims = issuer.claims()
			.stream()
			.map((claim) -> new ClaimRule(claim.claim(), claim.operator(), claim.values()))
			.toList();
		return new IssuerSpec(name, issuer.type(), issuer.issuerUri(), issuer.jwksUri(),
				Set.copyOf(issuer.algorithms()), issuer.audiences(), issuer.clients(), claims, issuer.scopePrefix(),
				issuer.requiredType(), issuer.clockSkew(), issuer.jwksCacheTtl(), issuer.verifiedTokens(),
				issuer.verifiedTokenTtl());
	}

}
