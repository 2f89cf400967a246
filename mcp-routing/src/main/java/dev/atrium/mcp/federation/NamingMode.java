package dev.atrium.mcp.federation;

/**
 * When a tool's or prompt's name gets its target's prefix ({@code target___tool}).
 */
public enum NamingMode {

	/** Every name is prefixed. */
	ALWAYS,

	/** Only names that more than one target uses are prefixed. */
	ON_COLLISION,

	/** Names are prefixed unless the scenario has a single target. */
	UNLESS_SINGLE_TARGET

}
