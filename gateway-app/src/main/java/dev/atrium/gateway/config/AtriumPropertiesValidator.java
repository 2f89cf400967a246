package dev.atrium.gateway.config;

import java.util.TreeSet;
import java.util.Locale;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import dev.atrium.mcp.stream.StreamIds;
import dev.atrium.policy.auth.IssuerType;
import dev.atrium.policy.ratelimit.Rate;
import dev.atrium.policy.ratelimit.RateTiers;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The checks that span several properties: every scenario names known targets, paths do
 * not clash, names are usable in paths and tool names. Field-level checks are the Bean
 * Validation annotations on {@link AtriumProperties}.
 */
public final class AtriumPropertiesValidator implements Validator {

	/**
	 * Asymmetric algorithms only: a shared-secret HMAC key could be confused with a
	 * public key.
	 */
	private static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
			"ES256", "ES384", "ES512", "EdDSA");

	/** Paths Atrium serves itself, which no scenario may take. */
	private static final String REGION_PATTERN = "[a-z0-9][a-z0-9-]{0,31}";

	private static final Set<String> RESERVED_PATHS = Set.of("/demo", "/_atrium", "/actuator", "/oauth2",
			"/.well-known", "/admin");

	@Override
	public boolean supports(Class<?> type) {
		return AtriumProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		AtriumProperties properties = (AtriumProperties) target;
		validateServer(properties.server(), errors);
		validateReplica(properties.replica(), errors);
		properties.targets().forEach((name, value) -> {
			if (!name.matches(AtriumProperties.NAME_PATTERN)) {
				errors.rejectValue("targets", "name", "target name '" + name
						+ "' must be 1 to 32 lower-case letters, digits or '-', starting with a letter or digit");
			}
			validateLocation("atrium.targets." + name, value, errors);
			if (value.url() != null && !"http".equals(value.url().getScheme())
					&& !"https".equals(value.url().getScheme())) {
				errors.rejectValue("targets", "url",
						"atrium.targets." + name + ".url must be an http or https URL, was '" + value.url() + "'");
			}
			if (value.identity() == AtriumProperties.TargetIdentity.STS_TOKEN && !properties.sts().enabled()) {
				errors.rejectValue("targets", "identity",
						"atrium.targets." + name + ".identity is sts-token, but atrium.sts.enabled is false");
			}
			validateCredentials("atrium.targets." + name, value, errors);
		});
		validateSts(properties, errors);
		validateRateLimits(properties, errors);
		validatePermissions(properties, errors);
		validateResilience(properties, errors);
		properties.issuers().forEach((name, issuer) -> {
			if (issuer.type() == IssuerType.ATRIUM_STS && issuer.jwksUri() == null) {
				validateEmbeddedStsIssuer(name, issuer, properties.sts(), errors);
			}
			if (issuer.type() == IssuerType.API_KEY && issuer.jwksUri() == null
					&& !properties.apiKeys().issuer().toString().equals(issuer.issuerUri())) {
				errors.rejectValue("issuers", "apiKeys",
						"atrium.issuers." + name + ".issuer-uri must be atrium.api-keys.issuer ("
								+ properties.apiKeys().issuer() + "), was " + issuer.issuerUri());
			}
			if (issuer.verifiedTokenTtl().isNegative() || issuer.verifiedTokenTtl().isZero()) {
				errors.rejectValue("issuers", "verifiedTokenTtl",
						"atrium.issuers." + name
								+ ".verified-token-ttl must be > 0 (set verified-tokens: 0 to remember none), was "
								+ issuer.verifiedTokenTtl());
			}
			for (String algorithm : issuer.algorithms()) {
				if (!ALGORITHMS.contains(algorithm)) {
					errors.rejectValue("issuers", "algorithm",
							"atrium.issuers." + name + ".algorithms has '" + algorithm + "'; allowed: " + ALGORITHMS);
				}
			}
		});
		Map<String, String> scenarioByPath = new HashMap<>();
		properties.scenarios().forEach((name, scenario) -> {
			if (!name.matches(AtriumProperties.NAME_PATTERN)) {
				errors.rejectValue("scenarios", "name", "scenario name '" + name
						+ "' must be 1 to 32 lower-case letters, digits or '-', starting with a letter or digit");
			}
			if (scenario.path() != null) {
				if (RESERVED_PATHS.contains(scenario.path())
						|| scenario.path().equals(properties.sts().issuer().getPath())) {
					errors.rejectValue("scenarios", "path",
							"atrium.scenarios." + name + ".path '" + scenario.path() + "' is reserved by Atrium");
				}
				String other = scenarioByPath.put(scenario.path(), name);
				if (other != null) {
					errors.rejectValue("scenarios", "path", "atrium.scenarios." + name + ".path '" + scenario.path()
							+ "' is also the path of scenario '" + other + "'");
				}
			}
			if (scenario.issuers().isEmpty() && !scenario.anonymous()) {
				errors.rejectValue("scenarios", "issuers",
						"atrium.scenarios." + name + " trusts no issuer: list atrium.scenarios." + name
								+ ".issuers, or set anonymous: true for local use");
			}
			if (!scenario.issuers().isEmpty() && scenario.anonymous()) {
				errors.rejectValue("scenarios", "anonymous",
						"atrium.scenarios." + name + " lists issuers and is anonymous: choose one");
			}
			for (String issuer : scenario.issuers()) {
				if (!properties.issuers().containsKey(issuer)) {
					errors.rejectValue("scenarios", "issuer",
							"atrium.scenarios." + name + ".issuers names '" + issuer
									+ "', which is not an issuer (known: "
									+ String.join(", ", new TreeSet<>(properties.issuers().keySet())) + ")");
				}
			}
			for (String targetName : scenario.targets()) {
				boolean known = properties.targets().containsKey(targetName)
						|| (properties.demo().enabled() && "demo".equals(targetName));
				if (!known) {
					errors.rejectValue("scenarios", "target", "atrium.scenarios." + name + ".targets names '"
							+ targetName + "', which is not a target (known: " + knownTargets(properties) + ")");
				}
			}
		});
	}

	/**
	 * One of a URL, an AgentCore runtime, an OpenAPI document or a Lambda function; what
	 * each needs.
	 */
	private static void validateLocation(String prefix, AtriumProperties.Target target, Errors errors) {
		long locations = Stream
			.of(target.url(), target.agentcore(), target.openapi(), target.lambda(),
					target.regions().isEmpty() ? null : target.regions())
			.filter(Objects::nonNull)
			.count();
		if (locations != 1) {
			errors.rejectValue("targets", "url", prefix
					+ " needs one of url, agentcore.runtime-arn, openapi.spec, lambda.function-name or regions, not "
					+ ((locations == 0) ? "none" : "several"));
		}
		if (target.openapi() != null) {
			validateOpenApi(prefix + ".openapi.", target.openapi(), errors);
		}
		validateRegions(prefix, target, errors);
		if (target.lambda() != null) {
			LambdaTargetValidation.validate(prefix, target, errors);
		}
		if (target.agentcore() != null) {
			validateAgentCore(prefix, target.agentcore(), prefix, target, errors);
		}
	}

	private static void validateRegions(String prefix, AtriumProperties.Target target, Errors errors) {
		target.regions().forEach((region, endpoint) -> {
			String where = prefix + ".regions." + region;
			if (!region.matches(REGION_PATTERN)) {
				errors.rejectValue("targets", "regions",
						where + ": a region name is lower-case letters, digits and '-', e.g. eu-west-1");
			}
			if ((endpoint.url() == null) == (endpoint.agentcore() == null)) {
				errors.rejectValue("targets", "regions", where + " needs one of url or agentcore.runtime-arn");
			}
			if (endpoint.url() != null && !"http".equals(endpoint.url().getScheme())
					&& !"https".equals(endpoint.url().getScheme())) {
				errors.rejectValue("targets", "regions",
						where + ".url must be an http or https URL, was '" + endpoint.url() + "'");
			}
			if (endpoint.agentcore() != null) {
				validateAgentCore(where, endpoint.agentcore(), prefix, target, errors);
			}
		});
		if (!target.regions().isEmpty() && target.credentials().region() != null) {
			errors.rejectValue("targets", "credentials", prefix
					+ ".credentials.region must be unset for a target with regions: each region signs for its own");
		}
		AtriumProperties.Failover failover = target.failover();
		if (!failover.latencyThreshold().isPositive() || !failover.recheckAfter().isPositive()) {
			errors.rejectValue("targets", "failover", prefix + ".failover.latency-threshold and recheck-after"
					+ " must be > 0, were " + failover.latencyThreshold() + " and " + failover.recheckAfter());
		}
	}

	/**
	 * @param prefix where the runtime is configured
	 * @param target the target's own prefix, where its credentials are
	 */
	private static void validateAgentCore(String prefix, AtriumProperties.AgentCore agentcore, String targetPrefix,
			AtriumProperties.Target target, Errors errors) {
		try {
			agentcore.runtime();
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("targets", "agentcore", prefix + ".agentcore.runtime-arn: " + ex.getMessage());
		}
		AtriumProperties.CredentialsType type = target.credentials().type();
		if (type != AtriumProperties.CredentialsType.SIGV4 && type != AtriumProperties.CredentialsType.OAUTH2) {
			errors.rejectValue("targets", "credentials",
					targetPrefix + ".credentials.type must be sigv4 or oauth2 for an AgentCore Runtime target, was "
							+ type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
		}
	}

	private static void validateOpenApi(String prefix, AtriumProperties.OpenApi openapi, Errors errors) {
		if (openapi.spec() == null || openapi.spec().isBlank()) {
			errors.rejectValue("targets", "openapi", prefix + "spec must be a file path or an http(s) URL");
		}
		if (openapi.baseUrl() != null && !"http".equals(openapi.baseUrl().getScheme())
				&& !"https".equals(openapi.baseUrl().getScheme())) {
			errors.rejectValue("targets", "openapi",
					prefix + "base-url must be an http or https URL, was '" + openapi.baseUrl() + "'");
		}
		if (openapi.timeout().isNegative() || openapi.timeout().isZero()) {
			errors.rejectValue("targets", "openapi", prefix + "timeout must be > 0, was " + openapi.timeout());
		}
	}

	/** Each credentials type needs its own fields, and secrets one source each. */
	private static void validateCredentials(String target, AtriumProperties.Target value, Errors errors) {
		AtriumProperties.Credentials credentials = value.credentials();
		if (credentials == null) {
			return;
		}
		String prefix = target + ".credentials.";
		String type = credentials.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
		switch (credentials.type()) {
			case NONE -> {
			}
			case API_KEY -> {
				require(prefix + "header", credentials.header(), type, errors);
				requireSecret(prefix + "key", credentials.key(), type, errors);
			}
			case OAUTH2 -> {
				require(prefix + "token-endpoint", credentials.tokenEndpoint(), type, errors);
				require(prefix + "client-id", credentials.clientId(), type, errors);
				requireSecret(prefix + "client-secret", credentials.clientSecret(), type, errors);
				if (credentials.tokenEndpoint() != null && !credentials.tokenEndpoint().isAbsolute()) {
					errors.rejectValue("targets", "credentials", prefix
							+ "token-endpoint must be an absolute URL, was '" + credentials.tokenEndpoint() + "'");
				}
				for (java.net.URI resource : credentials.resource()) {
					// RFC 8707 §2: an absolute URI without a fragment.
					if (!resource.isAbsolute() || resource.getFragment() != null) {
						errors.rejectValue("targets", "credentials",
								prefix + "resource must be absolute URIs without a fragment, had '" + resource + "'");
					}
				}
				if (credentials.refreshSkew().isNegative()) {
					errors.rejectValue("targets", "credentials",
							prefix + "refresh-skew must not be negative, was " + credentials.refreshSkew());
				}
				if (credentials.timeout().isNegative() || credentials.timeout().isZero()) {
					errors.rejectValue("targets", "credentials",
							prefix + "timeout must be positive, was " + credentials.timeout());
				}
			}
			case SIGV4 -> {
				if (value.agentcore() == null && value.lambda() == null && value.regions().isEmpty()) {
					// AgentCore Runtime and Lambda targets sign for their own region, a
					// regional target for each endpoint's.
					require(prefix + "region", credentials.region(), type, errors);
				}
				if ((credentials.accessKeyId() == null) != (credentials.secretAccessKey() == null)) {
					errors.rejectValue("targets", "credentials", prefix + "access-key-id and " + prefix
							+ "secret-access-key go together: set both or neither");
				}
				if (credentials.sessionToken() != null && credentials.accessKeyId() == null) {
					errors.rejectValue("targets", "credentials",
							prefix + "session-token needs access-key-id and secret-access-key");
				}
				checkSecret(prefix + "access-key-id", credentials.accessKeyId(), errors);
				checkSecret(prefix + "secret-access-key", credentials.secretAccessKey(), errors);
				checkSecret(prefix + "session-token", credentials.sessionToken(), errors);
			}
		}
		boolean authorization = switch (credentials.type()) {
			case NONE -> false;
			case API_KEY -> "authorization".equalsIgnoreCase(credentials.header());
			case OAUTH2, SIGV4 -> true;
		};
		if (authorization && value.identity() == AtriumProperties.TargetIdentity.STS_TOKEN) {
			errors.rejectValue("targets", "credentials", target + ".identity is sts-token, whose token travels in "
					+ "Authorization, and " + prefix + "type " + type + " sets Authorization too: choose one");
		}
	}

	private static void require(String key, Object value, String type, Errors errors) {
		if (value == null || (value instanceof String text && text.isBlank())) {
			errors.rejectValue("targets", "credentials", key + " is required for credentials type " + type);
		}
	}

	private static void requireSecret(String key, AtriumProperties.Secret secret, String type, Errors errors) {
		if (secret == null) {
			errors.rejectValue("targets", "credentials", key + " is required for credentials type " + type
					+ ": {value: ...}, {env: ...}, {file: ...} or {aws-secret: ...}");
			return;
		}
		checkSecret(key, secret, errors);
	}

	private static void checkSecret(String key, AtriumProperties.Secret secret, Errors errors) {
		if (secret == null) {
			return;
		}
		int sources = ((secret.value() != null) ? 1 : 0) + ((secret.env() != null) ? 1 : 0)
				+ ((secret.file() != null) ? 1 : 0) + ((secret.awsSecret() != null) ? 1 : 0);
		if (sources != 1) {
			errors.rejectValue("targets", "credentials",
					key + " must set exactly one of value, env, file and aws-secret, had " + sources);
		}
		if (secret.awsSecret() == null
				&& (secret.key() != null || secret.region() != null || secret.endpoint() != null)) {
			errors.rejectValue("targets", "credentials", key + ".key, .region and .endpoint are for aws-secret only");
		}
		if (secret.refresh() != null && secret.refresh().isNegative()) {
			errors.rejectValue("targets", "credentials",
					key + ".refresh must not be negative, was " + secret.refresh());
		}
	}

	private static void validateReplica(AtriumProperties.Replica replica, Errors errors) {
		if (replica.advertisedUrl() != null) {
			try {
				StreamIds.replicaAddress(replica.advertisedUrl());
			}
			catch (IllegalArgumentException ex) {
				errors.rejectValue("replica", "advertisedUrl", "atrium.replica.advertised-url: " + ex.getMessage());
			}
		}
		if (!replica.connectTimeout().isPositive()) {
			errors.rejectValue("replica", "connectTimeout",
					"atrium.replica.connect-timeout must be > 0, was " + replica.connectTimeout());
		}
		if (!replica.answerTimeout().isPositive()) {
			errors.rejectValue("replica", "answerTimeout",
					"atrium.replica.answer-timeout must be > 0, was " + replica.answerTimeout());
		}
	}

	private static void validateServer(AtriumProperties.Server server, Errors errors) {
		if (server.bodyReadTimeout() != null
				&& (server.bodyReadTimeout().isNegative() || server.bodyReadTimeout().isZero())) {
			errors.rejectValue("server", "bodyReadTimeout",
					"atrium.server.body-read-timeout must be positive, was " + server.bodyReadTimeout());
		}
	}

	private static void validateSts(AtriumProperties properties, Errors errors) {
		AtriumProperties.Sts sts = properties.sts();
		if (sts.keySecret() != null && sts.keySecret().length() < 32) {
			errors.rejectValue("sts", "keySecret",
					"atrium.sts.key-secret must have at least 32 characters, had " + sts.keySecret().length());
		}
		String path = sts.issuer().getPath();
		if (!sts.issuer().isAbsolute() || path == null || path.isEmpty() || "/".equals(path)) {
			errors.rejectValue("sts", "issuer",
					"atrium.sts.issuer must be an absolute URL with a path, e.g. https://atrium.example.com/sts; was "
							+ sts.issuer());
		}
		if (sts.defaultAudience() != null && !sts.audiences().isEmpty()
				&& !sts.audiences().contains(sts.defaultAudience())) {
			errors.rejectValue("sts", "defaultAudience", "atrium.sts.default-audience '" + sts.defaultAudience()
					+ "' is not one of atrium.sts.audiences " + sts.audiences());
		}
		for (String issuer : properties.apiKeys().adminIssuers()) {
			if (!properties.issuers().containsKey(issuer)) {
				errors.rejectValue("apiKeys", "adminIssuers",
						"atrium.api-keys.admin-issuers names '" + issuer + "', which is not an issuer");
			}
		}
		if (properties.apiKeys().defaultLifetime().compareTo(properties.apiKeys().maxLifetime()) > 0) {
			errors.rejectValue("apiKeys", "defaultLifetime",
					"atrium.api-keys.default-lifetime (" + properties.apiKeys().defaultLifetime()
							+ ") exceeds atrium.api-keys.max-lifetime (" + properties.apiKeys().maxLifetime() + ")");
		}
		for (String issuer : sts.subjectIssuers()) {
			if (!properties.issuers().containsKey(issuer)) {
				errors.rejectValue("sts", "subjectIssuers",
						"atrium.sts.subject-issuers names '" + issuer + "', which is not an issuer");
			}
		}
		sts.clients().forEach((id, client) -> {
			if (client.secret() == null && client.jwks() == null) {
				errors.rejectValue("sts", "clients",
						"atrium.sts.clients." + id + " needs a secret or jwks to authenticate with");
			}
		});
		for (AtriumProperties.StsPolicy policy : sts.policies()) {
			if (policy.subjectPattern().isBlank() || policy.actorPattern().isBlank()) {
				errors.rejectValue("sts", "policies",
						"atrium.sts.policies '" + policy.name() + "' needs a subject-pattern and an actor-pattern");
			}
		}
	}

	/**
	 * The rules between two resilience values, checked where they are set: in
	 * {@code atrium.resilience}, and in each target that sets its own.
	 */
	private static void validateResilience(AtriumProperties properties, Errors errors) {
		validateResilience("atrium.resilience", ResilienceProperties.DEFAULTS.overriddenBy(properties.resilience()),
				errors);
		properties.targets().forEach((name, target) -> {
			if (target.resilience() != null) {
				validateResilience("atrium.targets." + name + ".resilience", properties.resilienceOf(name), errors);
			}
		});
	}

	private static void validateResilience(String prefix, ResilienceProperties resilience, Errors errors) {
		ResilienceProperties.CircuitBreaker breaker = resilience.circuitBreaker();
		if (breaker.window() != null && breaker.window() < breaker.failureThreshold()) {
			errors.rejectValue("resilience", "window", prefix + ".circuit-breaker.window (" + breaker.window()
					+ ") must be at least " + "circuit-breaker.failure-threshold (" + breaker.failureThreshold() + ")");
		}
		ResilienceProperties.Backoff backoff = resilience.retry().backoff();
		if (backoff.max().compareTo(backoff.initial()) < 0) {
			errors.rejectValue("resilience", "backoff", prefix + ".retry.backoff.max (" + backoff.max()
					+ ") must be at least retry.backoff.initial (" + backoff.initial() + ")");
		}
	}

	private static void validateEmbeddedStsIssuer(String name, AtriumProperties.Issuer issuer, AtriumProperties.Sts sts,
			Errors errors) {
		if (!sts.enabled()) {
			errors.rejectValue("issuers", "sts",
					"atrium.issuers." + name + " is the embedded STS, but atrium.sts.enabled is false");
		}
		if (!sts.issuer().toString().equals(issuer.issuerUri())) {
			errors.rejectValue("issuers", "sts", "atrium.issuers." + name + ".issuer-uri must be atrium.sts.issuer ("
					+ sts.issuer() + "), was " + issuer.issuerUri());
		}
		if (!issuer.algorithms().contains("ES256")) {
			errors.rejectValue("issuers", "sts",
					"atrium.issuers." + name + ".algorithms must include ES256, which the embedded STS signs with");
		}
	}

	private static void validateRateLimits(AtriumProperties properties, Errors errors) {
		properties.rateLimits().tiers().forEach((tier, rates) -> {
			if (rates.isEmpty()) {
				errors.rejectValue("rateLimits", "tier", "atrium.rate-limits.tiers." + tier + " names no rate");
			}
			rates.forEach((rate) -> checkRate("atrium.rate-limits.tiers." + tier, rate, errors));
		});
		Set<String> tiers = RateTiers.seed().all().keySet();
		properties.scenarios().forEach((name, scenario) -> {
			String prefix = "atrium.scenarios." + name + ".rate-limit";
			AtriumProperties.ScenarioRateLimit limit = scenario.rateLimit();
			if (limit.tier() != null) {
				checkTier(prefix + ".tier", limit.tier(), tiers, properties, errors);
			}
			limit.clients()
				.forEach((client, tier) -> checkTier(prefix + ".clients." + client, tier, tiers, properties, errors));
			limit.tokenTiers()
				.forEach((value, tier) -> checkTier(prefix + ".token-tiers." + value, tier, tiers, properties, errors));
			limit.tools().forEach((tool, tierOrRate) -> {
				if (!tiers.contains(tierOrRate) && !properties.rateLimits().tiers().containsKey(tierOrRate)) {
					checkRate(prefix + ".tools." + tool, tierOrRate, errors);
				}
			});
		});
	}

	private static void checkTier(String key, String tier, Set<String> seedTiers, AtriumProperties properties,
			Errors errors) {
		if (!seedTiers.contains(tier) && !properties.rateLimits().tiers().containsKey(tier)) {
			Set<String> known = new TreeSet<>(seedTiers);
			known.addAll(properties.rateLimits().tiers().keySet());
			errors.rejectValue("scenarios", "tier",
					key + " names '" + tier + "', which is not a tier (known: " + String.join(", ", known) + ")");
		}
	}

	private static void checkRate(String key, String rate, Errors errors) {
		try {
			Rate.parse(rate);
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("rateLimits", "rate", key + ": " + ex.getMessage());
		}
	}

	private static void validatePermissions(AtriumProperties properties, Errors errors) {
		properties.scenarios()
			.forEach((name, scenario) -> scenario.permissions().targets().keySet().forEach((target) -> {
				if (!scenario.targets().contains(target)) {
					errors.rejectValue("scenarios", "permissions",
							"atrium.scenarios." + name + ".permissions.targets names '" + target
									+ "', which is not one of the scenario's targets " + scenario.targets());
				}
			}));
	}

	private static String knownTargets(AtriumProperties properties) {
		Set<String> names = new TreeSet<>(properties.targets().keySet());
		if (properties.demo().enabled()) {
			names.add("demo");
		}
		return names.isEmpty() ? "none" : String.join(", ", names);
	}

}
