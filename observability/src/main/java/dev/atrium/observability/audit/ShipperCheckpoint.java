package dev.atrium.observability.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the shipper is: a segment and a byte offset in it, kept in a file that is
 * replaced atomically, so that a restart resumes where the last delivery ended.
 *
 * @param sequence the segment's sequence number
 * @param offset the byte offset of the first event not yet delivered
 */
record ShipperCheckpoint(long sequence, long offset) {

	static ShipperCheckpoint read(Path file) {
		try {
			if (!Files.exists(file)) {
				return new ShipperCheckpoint(0, 0);
			}
			String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(":");
			return new ShipperCheckpoint(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("The audit shipper's checkpoint " + file + " is unreadable; "
					+ "delete it to ship the journal again from its oldest segment", ex);
		}
	}

	void write(Path file) throws IOException {
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(temporary, this.sequence + ":" + this.offset, StandardCharsets.UTF_8);
		try {
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
