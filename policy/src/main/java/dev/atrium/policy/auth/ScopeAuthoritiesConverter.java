package dev.atrium.policy.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Reads a token's scopes ({@code scope} as a space-separated string, or {@code scp} as a
 * list) into {@code SCOPE_} authorities, without the issuer's prefix (Cognito writes
 * custom scopes as {@code resource-server-id/scope}).
 */
public final class ScopeAuthoritiesConverter implements Converter<Jwt, Collection<GrantedAuthority>> {

	public static final String PREFIX = "SCOPE_";

	private final String scopePrefix;

	public ScopeAuthoritiesConverter(String scopePrefix) {
		this.scopePrefix = (scopePrefix != null) ? scopePrefix : "";
	}

	@Override
	public Collection<GrantedAuthority> convert(Jwt jwt) {
		List<String> scopes = new ArrayList<>();
		Object scope = jwt.getClaims().get("scope");
		if (scope instanceof String text) {
			scopes.addAll(List.of(text.trim().split("\\s+")));
		}
		else if (scope instanceof Collection<?> list) {
			list.forEach((item) -> scopes.add(String.valueOf(item)));
		}
		Object scp = jwt.getClaims().get("scp");
		if (scp instanceof Collection<?> list) {
			list.forEach((item) -> scopes.add(String.valueOf(item)));
		}
		return scopes.stream()
			.filter((value) -> !value.isBlank())
			.map((value) -> value.startsWith(this.scopePrefix) ? value.substring(this.scopePrefix.length()) : value)
			.distinct()
			.map((value) -> (GrantedAuthority) new SimpleGrantedAuthority(PREFIX + value))
			.toList();
	}

}
