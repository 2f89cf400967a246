package dev.atrium.e2e.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.e2e.support.AtriumInstance;
import dev.atrium.e2e.support.StsTokens;

/** Clients of the embedded STS for the policy tests: each with its tenant and scopes. */
final class StsClients {

	static final String SECRET = "policy-e2e-client-secret-0123456789";

	private StsClients() {
	}

	/** Properties declaring a client-credentials client. */
	static Map<String, String> client(String id, String tenant, List<String> scopes) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("atrium.sts.clients." + id + ".secret", SECRET);
		properties.put("atrium.sts.clients." + id + ".grant-types", "client-credentials");
		properties.put("atrium.sts.clients." + id + ".scopes", String.join(",", scopes));
		if (tenant != null) {
			properties.put("atrium.sts.clients." + id + ".tenant", tenant);
		}
		return properties;
	}

	/** A bearer header with a client-credentials token of the client. */
	static Map<String, String> bearer(AtriumInstance atrium, String client) {
		return Map.of("Authorization", "Bearer " + StsTokens.clientCredentials(atrium, client, SECRET));
	}

}
