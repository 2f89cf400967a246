package dev.atrium.gateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.atrium.mcp.lambda.LambdaTool;

import org.springframework.validation.Errors;

/**
 * What a Lambda target needs: a function, tools that MCP accepts under distinct names,
 * and credentials the AWS SDK can sign with.
 */
final class LambdaTargetValidation {

	private LambdaTargetValidation() {
	}

	static void validate(String target, AtriumProperties.Target value, Errors errors) {
		AtriumProperties.Lambda lambda = value.lambda();
		String prefix = target + ".lambda.";
		if (lambda.functionName() == null || lambda.functionName().isBlank()) {
			errors.rejectValue("targets", "lambda", prefix + "function-name must be a function's name or ARN");
		}
		if (lambda.endpoint() != null && !"http".equals(lambda.endpoint().getScheme())
				&& !"https".equals(lambda.endpoint().getScheme())) {
			errors.rejectValue("targets", "lambda",
					prefix + "endpoint must be an http or https URL, was '" + lambda.endpoint() + "'");
		}
		if (lambda.timeout().isNegative() || lambda.timeout().isZero()) {
			errors.rejectValue("targets", "lambda", prefix + "timeout must be > 0, was " + lambda.timeout());
		}
		validateTools(prefix, lambda.tools(), errors);
		validateCredentials(target, value.credentials(), errors);
	}

	/** Each tool as MCP lists it; a second tool of the same name would hide the first. */
	private static void validateTools(String prefix, List<AtriumProperties.LambdaTool> tools, Errors errors) {
		Map<String, Integer> indexByName = new HashMap<>();
		for (int i = 0; i < tools.size(); i++) {
			AtriumProperties.LambdaTool tool = tools.get(i);
			String key = prefix + "tools[" + i + "].";
			try {
				LambdaTool.of(tool.name(), tool.title(), tool.description(), tool.inputSchema(), tool.outputSchema(),
						null);
			}
			catch (IllegalArgumentException ex) {
				errors.rejectValue("targets", "lambda", key + ex.getMessage());
			}
			Integer other = indexByName.putIfAbsent(tool.name(), i);
			if (other != null) {
				errors.rejectValue("targets", "lambda",
						key + "name '" + tool.name() + "' is also the name of tools[" + other + "]");
			}
		}
	}

	/**
	 * The SDK signs Invoke itself, for the function's region and the service
	 * {@code lambda}: it takes the default provider chain ({@code none}) or static keys
	 * ({@code sigv4}), and nothing that sets its own Authorization.
	 */
	private static void validateCredentials(String target, AtriumProperties.Credentials credentials, Errors errors) {
		if (credentials == null) {
			return;
		}
		String prefix = target + ".credentials.";
		AtriumProperties.CredentialsType type = credentials.type();
		if (type != AtriumProperties.CredentialsType.NONE && type != AtriumProperties.CredentialsType.SIGV4) {
			errors.rejectValue("targets", "credentials", prefix
					+ "type must be none (the AWS SDK's default credentials) or sigv4 (static keys) for a Lambda target, was "
					+ type.name().toLowerCase(Locale.ROOT).replace('_', '-'));
		}
		if (type == AtriumProperties.CredentialsType.SIGV4 && credentials.region() != null) {
			errors.rejectValue("targets", "credentials",
					prefix + "region is not used by a Lambda target: set " + target + ".lambda.region");
		}
	}

}
