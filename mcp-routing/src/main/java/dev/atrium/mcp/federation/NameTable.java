package dev.atrium.mcp.federation;

import java.util.Map;
import java.util.Optional;

/**
 * The two-way mapping between the names clients see and the names targets know.
 */
public final class NameTable {

	private final Map<String, QualifiedName> byExposed;

	private final Map<QualifiedName, String> byQualified;

	NameTable(Map<String, QualifiedName> byExposed, Map<QualifiedName, String> byQualified) {
		this.byExposed = Map.copyOf(byExposed);
		this.byQualified = Map.copyOf(byQualified);
	}

	public Optional<QualifiedName> resolve(String exposed) {
		return Optional.ofNullable(this.byExposed.get(exposed));
	}

	public String exposed(QualifiedName name) {
		return this.byQualified.get(name);
	}

	public int size() {
		return this.byExposed.size();
	}

}
