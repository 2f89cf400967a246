package dev.atrium.testsupport;

/**
 * The access and ID tokens of one user sign-in: they share {@code auth_time},
 * {@code origin_jti} and {@code event_id}, and the ID token's {@code at_hash} binds it to
 * the access token.
 *
 * @param accessToken the access token ({@code token_use=access})
 * @param idToken the ID token ({@code token_use=id})
 */
public record UserTokens(String accessToken, String idToken) {

}
