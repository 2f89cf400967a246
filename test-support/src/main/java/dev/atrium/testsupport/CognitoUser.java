package dev.atrium.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A user of a {@link CognitoUserPool}.
 *
 * @param sub the subject; Cognito's is a UUID-like string that AWS says not to validate
 * as a UUID
 * @param username the user name ({@code username} in access tokens,
 * {@code cognito:username} in ID tokens)
 * @param email the e-mail address (ID tokens only)
 * @param groups the user pool groups ({@code cognito:groups}); none leaves the claim out
 */
public record CognitoUser(String sub, String username, String email, List<String> groups) {

	public CognitoUser {
		Objects.requireNonNull(sub, "sub");
		Objects.requireNonNull(username, "username");
		Objects.requireNonNull(email, "email");
		groups = List.copyOf(groups);
	}

	/**
	 * A user with a subject derived from the name (the same name gives the same subject
	 * in every run), the address {@code username@example.com} and no groups.
	 * @param username the user name
	 * @return the user
	 */
	public static CognitoUser named(String username) {
		UUID sub = UUID.nameUUIDFromBytes(("atrium-test-user:" + username).getBytes(StandardCharsets.UTF_8));
		return new CognitoUser(sub.toString(), username, username + "@example.com", List.of());
	}

	/**
	 * This user in the given groups.
	 * @param groups the group names
	 * @return the user
	 */
	public CognitoUser withGroups(String... groups) {
		return new CognitoUser(this.sub, this.username, this.email, List.of(groups));
	}

}
