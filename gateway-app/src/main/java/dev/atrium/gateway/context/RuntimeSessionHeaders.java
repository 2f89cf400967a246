package dev.atrium.gateway.context;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.mcp.agentcore.RuntimeSessionIds;
import dev.atrium.mcp.client.CallerHeaders;
import dev.atrium.policy.auth.ScopeAccess;
import reactor.core.publisher.Mono;

/**
 * Adds the AgentCore runtime session id to the requests for AgentCore Runtime targets
 * made on a caller's behalf, so that each user keeps one microVM per runtime. Requests
 * without a caller (catalog reads, anonymous scenarios) carry none, and AgentCore picks
 * one.
 */
public final class RuntimeSessionHeaders implements CallerHeaders {

	private final CallerHeaders headers;

	private final RuntimeSessionIds ids;

	private final Set<String> runtimes;

	/**
	 * @param headers the other caller headers
	 * @param ids makes the session ids
	 * @param runtimes the names of the AgentCore Runtime targets
	 */
	public RuntimeSessionHeaders(CallerHeaders headers, RuntimeSessionIds ids, Set<String> runtimes) {
		this.headers = headers;
		this.ids = ids;
		this.runtimes = Set.copyOf(runtimes);
	}

	/**
	 * The caller headers with runtime session ids for the AgentCore Runtime targets of
	 * the configuration, or the headers as they are when there are none. The ids' key
	 * derives from the current session key, the same on every replica; without session
	 * keys (a local run) it is random, so ids change with each start.
	 */
	public static CallerHeaders wrap(CallerHeaders headers, AtriumProperties properties) {
		Set<String> runtimes = new TreeSet<>();
		properties.targets().forEach((name, target) -> {
			if (target.onAgentCore()) {
				runtimes.add(name);
			}
		});
		if (runtimes.isEmpty()) {
			return headers;
		}
		return new RuntimeSessionHeaders(headers, new RuntimeSessionIds(key(properties.session())), runtimes);
	}

	private static byte[] key(AtriumProperties.Session session) {
		if (session.keys().isEmpty()) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			return random;
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(session.keys().get(0).secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac.doFinal("atrium agentcore runtime session ids".getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	@Override
	public Mono<Map<String, String>> forTarget(String target) {
		Mono<Map<String, String>> others = this.headers.forTarget(target);
		if (!this.runtimes.contains(target)) {
			return others;
		}
		return others.defaultIfEmpty(Map.of())
			.zipWith(ScopeAccess.currentCallerId().map((caller) -> this.ids.of(caller, target)).defaultIfEmpty(""))
			.map((both) -> {
				if (both.getT2().isEmpty()) {
					return both.getT1();
				}
				Map<String, String> all = new LinkedHashMap<>(both.getT1());
				all.put(RuntimeSessionIds.HEADER, both.getT2());
				return all;
			})
			.filter((all) -> !all.isEmpty());
	}

	@Override
	public String toString() {
		return "RuntimeSessionHeaders[" + this.runtimes + ", " + this.headers + "]";
	}

}
