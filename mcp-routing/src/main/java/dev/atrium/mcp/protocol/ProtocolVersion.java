package dev.atrium.mcp.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The MCP revisions Atrium speaks to clients and to targets, newest first.
 */
public final class ProtocolVersion {

	public static final String V2025_11_25 = "2025-11-25";

	public static final String V2025_06_18 = "2025-06-18";

	public static final String V2025_03_26 = "2025-03-26";

	/** Newest first: the order in which Atrium prefers them. */
	public static final List<String> SUPPORTED = List.of(V2025_11_25, V2025_06_18, V2025_03_26);

	public static final String LATEST = V2025_11_25;

	/**
	 * What a server assumes when a client sends no {@code MCP-Protocol-Version} header
	 * (streamable HTTP transport, "Protocol Version Header").
	 */
	public static final String ASSUMED_WHEN_ABSENT = V2025_03_26;

	private ProtocolVersion() {
	}

	public static boolean isSupported(String version) {
		return SUPPORTED.contains(version);
	}

	/**
	 * The version to answer an {@code initialize} with: the client's if Atrium supports
	 * it, otherwise the latest (lifecycle, "Version Negotiation").
	 */
	public static String negotiate(String requested) {
		return Optional.ofNullable(requested).filter(ProtocolVersion::isSupported).orElse(LATEST);
	}

}
