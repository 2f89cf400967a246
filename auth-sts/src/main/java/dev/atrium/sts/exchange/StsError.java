package dev.atrium.sts.exchange;

import java.util.Objects;

/**
 * A refusal in OAuth terms (RFC 6749 section 5.2, RFC 8693 section 2.2.2, RFC 8707
 * section 2): the error code, a description for the client, and the HTTP status.
 *
 * @param code the {@code error} value
 * @param description the {@code error_description}, safe to show the caller
 * @param status the HTTP status
 */
public record StsError(String code, String description, int status) {

	public StsError {
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(description, "description");
	}

	public static StsError invalidRequest(String description) {
		return new StsError("invalid_request", description, 400);
	}

	public static StsError invalidClient(String description) {
		return new StsError("invalid_client", description, 401);
	}

	public static StsError invalidGrant(String description) {
		return new StsError("invalid_grant", description, 400);
	}

	public static StsError invalidTarget(String description) {
		return new StsError("invalid_target", description, 400);
	}

	public static StsError invalidScope(String description) {
		return new StsError("invalid_scope", description, 400);
	}

	public static StsError unauthorizedClient(String description) {
		return new StsError("unauthorized_client", description, 400);
	}

	public static StsError unsupportedGrantType(String description) {
		return new StsError("unsupported_grant_type", description, 400);
	}

	public static StsError unsupportedTokenType(String description) {
		return new StsError("unsupported_token_type", description, 400);
	}

}
