package dev.atrium.mcp.federation;

import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every tool or prompt of a scenario a unique name: {@code prefix___name} when the
 * naming mode asks for a prefix, shortened with a hash when longer than the maximum.
 * Names are assigned in the order of the targets, so the same catalogs always give the
 * same names.
 */
public final class NameMapper {

	/** The separator the managed AgentCore Gateway uses between target and tool. */
	public static final String SEPARATOR = "___";

	private static final int HASH_CHARS = 8;

	private final NamingMode mode;

	private final int maxLength;

	public NameMapper(NamingMode mode, int maxLength) {
		if (maxLength < 16) {
			throw new IllegalArgumentException("max name length must be at least 16, was " + maxLength);
		}
		this.mode = mode;
		this.maxLength = maxLength;
	}

	/**
	 * Maps the names of several targets.
	 * @param namesByTarget each target's prefix and names, in the scenario's order
	 */
	public NameTable map(List<TargetNames> namesByTarget) {
		Map<String, Integer> uses = new HashMap<>();
		namesByTarget
			.forEach((target) -> Set.copyOf(target.names()).forEach((name) -> uses.merge(name, 1, Integer::sum)));
		boolean single = namesByTarget.size() == 1;
		Map<String, QualifiedName> byExposed = new LinkedHashMap<>();
		Map<QualifiedName, String> byQualified = new HashMap<>();
		for (TargetNames target : namesByTarget) {
			Set<String> seen = new HashSet<>();
			for (String name : target.names()) {
				if (!seen.add(name)) {
					continue;
				}
				boolean prefixed = switch (this.mode) {
					case ALWAYS -> true;
					case ON_COLLISION -> uses.get(name) > 1;
					case UNLESS_SINGLE_TARGET -> !single;
				};
				String exposed = unique(prefixed ? target.prefix() + SEPARATOR + name : name, byExposed.keySet());
				QualifiedName qualified = new QualifiedName(target.target(), name);
				byExposed.put(exposed, qualified);
				byQualified.put(qualified, exposed);
			}
		}
		return new NameTable(byExposed, byQualified);
	}

	private String unique(String candidate, Set<String> taken) {
		String name = (candidate.length() <= this.maxLength) ? candidate : shorten(candidate, candidate);
		for (int attempt = 1; taken.contains(name); attempt++) {
			name = shorten(candidate, candidate + "#" + attempt);
		}
		return name;
	}

	private String shorten(String name, String hashInput) {
		int keep = Math.min(name.length(), this.maxLength - HASH_CHARS - 1);
		return name.substring(0, keep) + "_" + hash(hashInput);
	}

	private static String hash(String input) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, HASH_CHARS / 2);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One target's names.
	 *
	 * @param target the target's name
	 * @param prefix what goes before the separator
	 * @param names the names as the target lists them
	 */
	public record TargetNames(String target, String prefix, List<String> names) {

	}

}
