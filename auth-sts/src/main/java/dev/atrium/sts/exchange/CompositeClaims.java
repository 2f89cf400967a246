package dev.atrium.sts.exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.atrium.sts.client.StsClient;

/**
 * The parts of the seed's composite token that say who acts for whom: {@code
 * user_context}, {@code act} (nested for chains, RFC 8693 section 4.1), {@code
 * delegation_chain} and {@code business_context}.
 */
final class CompositeClaims {

	private static final List<String> USER_CLAIMS = List.of("email", "department", "role", "tenant_id");

	private CompositeClaims() {
	}

	/**
	 * The user behind the subject token: copied from an STS token, else read from the
	 * subject's claims (plain or as Cognito custom attributes, {@code custom:role}).
	 */
	static Map<String, Object> userContext(VerifiedToken subject) {
		Map<String, Object> existing = subject.object("user_context");
		if (existing != null) {
			return existing;
		}
		Map<String, Object> user = new LinkedHashMap<>();
		user.put("user_id", subject.subject());
		for (String claim : USER_CLAIMS) {
			Object value = subject.claims().getOrDefault(claim, subject.claims().get("custom:" + claim));
			if (value != null) {
				user.put(claim, value);
			}
		}
		List<?> permissions = subject.list("permissions");
		user.put("permissions", (permissions != null) ? permissions : List.copyOf(subject.scopes()));
		return user;
	}

	/** The actor, with the actor the subject token already names nested inside. */
	static Map<String, Object> act(VerifiedToken actor, StsClient client, VerifiedToken subject) {
		Map<String, Object> act = new LinkedHashMap<>();
		act.put("sub", actor.partyId());
		act.put("iss", actor.issuer());
		if (actor.clientId() != null) {
			act.put("client_id", actor.clientId());
		}
		for (String claim : List.of("agent_type", "version", "deployment_env")) {
			Object value = actor.claims().getOrDefault(claim, client.agent().get(claim));
			if (value != null) {
				act.put(claim, value);
			}
		}
		Map<String, Object> previous = subject.object("act");
		if (previous != null) {
			act.put("act", previous);
		}
		return act;
	}

	/** How many actors a token's {@code act} claim names. */
	static int depth(Map<String, Object> act) {
		int depth = 0;
		Object current = act;
		while (current instanceof Map<?, ?> map) {
			depth++;
			current = map.get("act");
		}
		return depth;
	}

	/** The subject token's chain with one step added: the newest delegate's. */
	static List<Object> delegationChain(VerifiedToken subject, VerifiedToken actor, Set<String> scopes, Instant now) {
		List<Object> chain = new ArrayList<>();
		List<?> existing = subject.list("delegation_chain");
		if (existing != null) {
			chain.addAll(existing);
		}
		Map<String, Object> previousActor = subject.object("act");
		Object delegator = (previousActor != null) ? previousActor.get("sub") : subject.subject();
		Map<String, Object> step = new LinkedHashMap<>();
		step.put("delegator", delegator);
		step.put("delegate", actor.partyId());
		step.put("scope", List.copyOf(scopes));
		step.put("timestamp", now.toString());
		chain.add(step);
		return chain;
	}

	static Map<String, Object> businessContext(VerifiedToken subject, StsClient client, DelegationPolicy policy) {
		Map<String, Object> existing = subject.object("business_context");
		Map<String, Object> business = new LinkedHashMap<>();
		Object session = (existing != null) ? existing.get("session_id") : subject.string("sid");
		business.put("session_id", (session != null) ? session : UUID.randomUUID().toString());
		business.put("request_origin", (client.requestOrigin() != null) ? client.requestOrigin() : client.id());
		if (policy.complianceLevel() != null) {
			business.put("compliance_level", policy.complianceLevel());
		}
		if (policy.dataClassification() != null) {
			business.put("data_classification", policy.dataClassification());
		}
		business.put("delegation_policy", policy.name());
		return business;
	}

}
