package dev.atrium.observability.audit;

/** When the journal forces what it wrote onto the disk: what a crash can lose. */
public enum FsyncPolicy {

	/** After every batch written: a crash loses only events not yet written. */
	ALWAYS,

	/** At most once per interval: a crash loses at most the interval's events. */
	INTERVAL,

	/** When the operating system decides: a crash of the machine may lose more. */
	NEVER

}
