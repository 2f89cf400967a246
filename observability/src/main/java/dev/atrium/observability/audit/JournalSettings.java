package dev.atrium.observability.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the audit journal writes.
 *
 * @param directory where the segments are; one journal per directory
 * @param fsync when writes are forced onto the disk
 * @param fsyncInterval the longest time between forced writes under
 * {@link FsyncPolicy#INTERVAL}
 * @param maxSegmentBytes the size at which a segment is closed and the next begun
 * @param maxSegments how many segments are kept; older ones are deleted once shipped
 */
public record JournalSettings(Path directory, FsyncPolicy fsync, Duration fsyncInterval, long maxSegmentBytes,
		int maxSegments) {

	public JournalSettings {
		Objects.requireNonNull(directory, "directory");
		Objects.requireNonNull(fsync, "fsync");
		Objects.requireNonNull(fsyncInterval, "fsyncInterval");
		if (maxSegmentBytes < 1024) {
			throw new IllegalArgumentException("maxSegmentBytes must be >= 1024, was " + maxSegmentBytes);
		}
		if (maxSegments < 2) {
			throw new IllegalArgumentException("maxSegments must be >= 2, was " + maxSegments);
		}
	}

}
