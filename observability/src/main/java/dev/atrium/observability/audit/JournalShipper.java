package dev.atrium.observability.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the journal to a networked sink, in order, from a checkpoint kept on disk. While
 * the sink is slow or unreachable the journal keeps every event and the shipper falls
 * behind; when the sink answers again it drains what it missed. Delivery is at least
 * once: a crash between a delivery and its checkpoint sends those events again, and their
 * {@code event_id} tells them apart.
 */
public final class JournalShipper implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(JournalShipper.class);

	private static final Duration POLL = Duration.ofMillis(100);

	private final AuditJournal journal;

	private final AuditSink sink;

	private final Path checkpointFile;

	private final int batchSize;

	private final Duration maxBackoff;

	private final Thread thread;

	private volatile ShipperCheckpoint checkpoint;

	private volatile long shipped;

	private volatile boolean failing;

	private volatile boolean closed;

	/**
	 * @param journal the journal to ship
	 * @param sink where to
	 * @param batchSize the most events one delivery carries
	 * @param maxBackoff the longest wait between attempts while the sink fails
	 */
	public JournalShipper(AuditJournal journal, AuditSink sink, int batchSize, Duration maxBackoff) {
		this.journal = journal;
		this.sink = sink;
		this.checkpointFile = journal.directory().resolve("shipper.checkpoint");
		this.batchSize = batchSize;
		this.maxBackoff = maxBackoff;
		this.checkpoint = ShipperCheckpoint.read(this.checkpointFile);
		journal.retainUnless(this::isShipped);
		this.thread = Thread.ofPlatform().name("atrium-audit-shipper").daemon(true).start(this::shipLoop);
	}

	/** Whether every event of a segment was delivered. */
	public boolean isShipped(Path segment) {
		return AuditJournal.sequenceOf(segment) < this.checkpoint.sequence();
	}

	/** Events delivered since the shipper started. */
	public long shipped() {
		return this.shipped;
	}

	/** Whether the last delivery failed. */
	public boolean failing() {
		return this.failing;
	}

	@Override
	public void close() {
		this.closed = true;
		this.thread.interrupt();
		try {
			this.thread.join(Duration.ofSeconds(5).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.sink.close();
	}

	private void shipLoop() {
		Duration backoff = POLL;
		while (!this.closed) {
			try {
				Batch batch = nextBatch();
				if (batch == null) {
					Thread.sleep(POLL.toMillis());
					continue;
				}
				if (!batch.events().isEmpty()) {
					this.sink.send(batch.events());
					this.shipped += batch.events().size();
				}
				advance(batch.next());
				if (this.failing) {
					logger.info("The audit sink accepts events again; {} shipped so far", this.shipped);
					this.failing = false;
				}
				backoff = POLL;
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (Exception ex) {
				if (!this.failing) {
					logger.warn("The audit sink does not accept events ({}); they wait in {}", ex.toString(),
							this.journal.directory());
					this.failing = true;
				}
				try {
					Thread.sleep(backoff.toMillis());
				}
				catch (InterruptedException interrupted) {
					return;
				}
				backoff = backoff.multipliedBy(2).compareTo(this.maxBackoff) > 0 ? this.maxBackoff
						: backoff.multipliedBy(2);
			}
		}
	}

	private void advance(ShipperCheckpoint next) throws IOException {
		if (!next.equals(this.checkpoint)) {
			next.write(this.checkpointFile);
			this.checkpoint = next;
		}
	}

	/**
	 * The next events to deliver and where the checkpoint goes after them; {@code null}
	 * when there is nothing to do yet.
	 */
	private Batch nextBatch() throws IOException {
		List<Path> segments = this.journal.segments();
		ShipperCheckpoint at = this.checkpoint;
		for (Path segment : segments) {
			long sequence = AuditJournal.sequenceOf(segment);
			if (sequence < at.sequence()) {
				continue;
			}
			long offset = (sequence == at.sequence()) ? at.offset() : 0;
			// Asked before reading: the writer never appends to a segment once it is not
			// the active one, so a finished segment read to its end has no more events.
			boolean finished = !segment.equals(this.journal.activeSegment());
			Batch batch = read(segment, sequence, offset);
			if (!batch.events().isEmpty()) {
				return batch;
			}
			if (!finished) {
				return null;
			}
			// A finished segment read to its end: go on with the next one.
			if (batch.truncatedTail()) {
				logger.warn("Audit segment {} ends in a line a crash cut short; it is skipped", segment);
			}
			return new Batch(List.of(), new ShipperCheckpoint(sequence + 1, 0), false);
		}
		return null;
	}

	private Batch read(Path segment, long sequence, long offset) throws IOException {
		List<String> events = new ArrayList<>();
		long position = offset;
		try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "r")) {
			long length = file.length();
			if (offset >= length) {
				return new Batch(List.of(), new ShipperCheckpoint(sequence, offset), false);
			}
			file.seek(offset);
			byte[] bytes = new byte[(int) Math.min(length - offset, 4L * 1024 * 1024)];
			file.readFully(bytes);
			int start = 0;
			for (int i = 0; i < bytes.length && events.size() < this.batchSize; i++) {
				if (bytes[i] == '\n') {
					events.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
					start = i + 1;
				}
			}
			position = offset + start;
			boolean truncatedTail = events.isEmpty() && start < bytes.length;
			return new Batch(events, new ShipperCheckpoint(sequence, position), truncatedTail);
		}
	}

	@Override
	public String toString() {
		return "JournalShipper[" + this.journal.directory() + " -> " + this.sink + "]";
	}

	private record Batch(List<String> events, ShipperCheckpoint next, boolean truncatedTail) {

	}

}
