package dev.atrium.mcp.federation;

/**
 * What a scenario's lists do while one of its targets has no catalog.
 */
public enum FailurePolicy {

	/** List what the other targets offer; calls to the failing target get an error. */
	OPEN,

	/** Refuse the lists with an error naming the failing targets. */
	CLOSED

}
