package dev.atrium.mcp.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The MCP revisions Atrium speaks to clients and to targets, newest first. Those up to
 * 2025-11-25 open a session with {@code initialize} ("legacy" in the 2026-07-28
 * revision's words); 2026-07-28 has no session and carries its revision on every request
 * ("modern").
 */
public final class ProtocolVersion {

	public static final String V2026_07_28 = "2026-07-28";

	public static final String V2025_11_25 = "2025-11-25";

	public static final String V2025_06_18 = "2025-06-18";

	public static final String V2025_03_26 = "2025-03-26";

	/**
	 * The revisions negotiated with {@code initialize}, newest first: the order in which
	 * Atrium prefers them.
	 */
	public static final List<String> SUPPORTED = List.of(V2025_11_25, V2025_06_18, V2025_03_26);

	/** The revisions without sessions, whose requests each carry their revision. */
	public static final List<String> MODERN = List.of(V2026_07_28);

	/**
	 * Every revision Atrium speaks, newest first, as {@code server/discover} lists them.
	 */
	public static final List<String> ALL = List.of(V2026_07_28, V2025_11_25, V2025_06_18, V2025_03_26);

	public static final String LATEST = V2025_11_25;

	/**
	 * What a server assumes when a client sends no {@code MCP-Protocol-Version} header
	 * (streamable HTTP transport, "Protocol Version Header").
	 */
	public static final String ASSUMED_WHEN_ABSENT = V2025_03_26;

	private ProtocolVersion() {
	}

	/** Whether the revision is one Atrium negotiates with {@code initialize}. */
	public static boolean isSupported(String version) {
		return version != null && SUPPORTED.contains(version);
	}

	/** Whether the revision is a sessionless one that Atrium speaks. */
	public static boolean isModern(String version) {
		return version != null && MODERN.contains(version);
	}

	/** Whether Atrium speaks the revision at all. */
	public static boolean isKnown(String version) {
		return version != null && ALL.contains(version);
	}

	/**
	 * The version to answer an {@code initialize} with: the client's if Atrium supports
	 * it, otherwise the latest (lifecycle, "Version Negotiation").
	 */
	public static String negotiate(String requested) {
		return Optional.ofNullable(requested).filter(ProtocolVersion::isSupported).orElse(LATEST);
	}

}
