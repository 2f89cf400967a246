package dev.atrium.mcp.client;

/**
 * Which era of MCP a target speaks, in the words of the 2026-07-28 revision: with
 * sessions opened by {@code initialize} (legacy: 2025-11-25 and before) or without
 * (modern: 2026-07-28).
 */
public enum TargetEra {

	/** Asked once, with {@code server/discover}, and kept. */
	AUTO,

	/** Sessions with {@code initialize}, never asked. */
	LEGACY,

	/** No session: {@code server/discover}, then every request sessionless. */
	MODERN

}
