package dev.atrium.observability.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's local journal: JSON lines appended to size-limited segments in a
 * directory, by one writer thread, so that recording an event never waits for a disk. It
 * is the file sink log shippers (Fluent Bit, the CloudWatch agent) read, and the spool
 * the networked sink drains. Events are never dropped: the queue in front of the writer
 * is unbounded, and what it holds is what a crash can lose, with what the fsync policy
 * has not yet forced onto the disk.
 */
public final class AuditJournal implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(AuditJournal.class);

	private static final Pattern SEGMENT = Pattern.compile("audit-(\\d{20})\\.jsonl");

	private static final int BATCH = 4096;

	private final JournalSettings settings;

	private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();

	private final AtomicLong appended = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final FileChannel lockChannel;

	private final FileLock lock;

	private final Thread writer;

	private volatile Predicate<Path> shipped = (segment) -> true;

	private volatile Path active;

	private FileChannel channel;

	private long size;

	private long sequence;

	private long lastFsync = System.nanoTime();

	private volatile boolean closed;

	/**
	 * Opens the journal in its directory, which no other journal may hold, and begins a
	 * new segment: an old segment is never appended to, so a line a crash cut short stays
	 * the last of its segment.
	 */
	public AuditJournal(JournalSettings settings) {
		this.settings = settings;
		try {
			Files.createDirectories(settings.directory());
			this.lockChannel = FileChannel.open(settings.directory().resolve("journal.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			this.lock = this.lockChannel.tryLock();
			if (this.lock == null) {
				this.lockChannel.close();
				throw new IllegalStateException("The audit directory " + settings.directory()
						+ " is in use by another Atrium process; give each replica its own");
			}
			List<Path> existing = segments();
			this.sequence = existing.isEmpty() ? 0 : sequenceOf(existing.get(existing.size() - 1));
			openNextSegment();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the audit journal in " + settings.directory(), ex);
		}
		catch (OverlappingFileLockException ex) {
			throw new IllegalStateException(
					"The audit directory " + settings.directory() + " is in use by another journal of this process",
					ex);
		}
		this.writer = Thread.ofPlatform().name("atrium-audit-journal").daemon(true).start(this::writeLoop);
	}

	/**
	 * Tells the journal which segments have been shipped and may be deleted when more
	 * than the maximum are kept; without a networked sink every segment may.
	 */
	public void retainUnless(Predicate<Path> shipped) {
		this.shipped = shipped;
	}

	/** Appends one event, a single line of JSON; returns at once. */
	public void append(String json) {
		if (this.closed) {
			throw new IllegalStateException("The audit journal is closed");
		}
		this.appended.incrementAndGet();
		this.queue.add(new Entry.Line((json + "\n").getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Waits until every event appended before the call is written and forced onto the
	 * disk.
	 * @return whether that happened within the timeout
	 */
	public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(1);
		this.queue.add(new Entry.Barrier(done));
		return done.await(timeout, unit);
	}

	/** The segments, oldest first. */
	public List<Path> segments() {
		try (Stream<Path> files = Files.list(this.settings.directory())) {
			return files.filter((file) -> SEGMENT.matcher(file.getFileName().toString()).matches()).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The segment being written to. */
	public Path activeSegment() {
		return this.active;
	}

	public Path directory() {
		return this.settings.directory();
	}

	/** Events appended and not yet written. */
	public long pending() {
		return this.appended.get() - this.written.get();
	}

	/** Events written since the journal opened. */
	public long written() {
		return this.written.get();
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		try {
			flush(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.closed = true;
		this.writer.interrupt();
		try {
			this.writer.join(TimeUnit.SECONDS.toMillis(5));
			this.channel.force(true);
			this.channel.close();
			this.lock.release();
			this.lockChannel.close();
		}
		catch (IOException ex) {
			logger.warn("Closing the audit journal: {}", ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static long sequenceOf(Path segment) {
		Matcher matcher = SEGMENT.matcher(segment.getFileName().toString());
		if (!matcher.matches()) {
			throw new IllegalArgumentException("not a segment: " + segment);
		}
		return Long.parseLong(matcher.group(1));
	}

	private void writeLoop() {
		List<Entry> batch = new ArrayList<>(BATCH);
		while (!this.closed) {
			try {
				Entry first = this.queue.poll(fsyncWait(), TimeUnit.NANOSECONDS);
				if (first != null) {
					batch.add(first);
					this.queue.drainTo(batch, BATCH - 1);
					write(batch);
					batch.clear();
				}
				else if (this.settings.fsync() == FsyncPolicy.INTERVAL) {
					force();
				}
			}
			catch (InterruptedException ex) {
				if (!this.closed) {
					logger.error("The audit journal's writer was interrupted; {} events wait", pending());
				}
				return;
			}
			catch (IOException | RuntimeException ex) {
				// The events stay queued in batch order: try again rather than drop them.
				logger.error("Cannot write the audit journal in {} ({}); retrying, {} events wait",
						this.settings.directory(), ex.toString(), pending());
				retryLater(batch);
			}
		}
	}

	private void write(List<Entry> batch) throws IOException {
		List<CountDownLatch> barriers = new ArrayList<>();
		int lines = 0;
		for (Entry entry : batch) {
			switch (entry) {
				case Entry.Line line -> {
					if (this.size > 0 && this.size + line.bytes().length > this.settings.maxSegmentBytes()) {
						rotate();
					}
					ByteBuffer buffer = ByteBuffer.wrap(line.bytes());
					while (buffer.hasRemaining()) {
						this.size += this.channel.write(buffer);
					}
					lines++;
				}
				case Entry.Barrier barrier -> barriers.add(barrier.done());
			}
		}
		if (this.settings.fsync() == FsyncPolicy.ALWAYS || !barriers.isEmpty()) {
			force();
		}
		else if (this.settings.fsync() == FsyncPolicy.INTERVAL
				&& System.nanoTime() - this.lastFsync >= this.settings.fsyncInterval().toNanos()) {
			force();
		}
		this.written.addAndGet(lines);
		barriers.forEach(CountDownLatch::countDown);
	}

	private void retryLater(List<Entry> batch) {
		// Whatever of the batch was written before the failure may be written again; the
		// events carry ids, so a duplicate can be told from a new event.
		List<Entry> rest = new ArrayList<>(batch);
		batch.clear();
		this.queue.drainTo(rest);
		this.queue.addAll(rest);
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private long fsyncWait() {
		if (this.settings.fsync() != FsyncPolicy.INTERVAL) {
			return TimeUnit.SECONDS.toNanos(1);
		}
		return Math.max(1, this.settings.fsyncInterval().toNanos() - (System.nanoTime() - this.lastFsync));
	}

	private void force() throws IOException {
		this.channel.force(false);
		this.lastFsync = System.nanoTime();
	}

	private void rotate() throws IOException {
		this.channel.force(true);
		this.channel.close();
		openNextSegment();
		deleteOldSegments();
	}

	private void openNextSegment() throws IOException {
		this.sequence++;
		Path segment = this.settings.directory().resolve(String.format("audit-%020d.jsonl", this.sequence));
		this.channel = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		this.size = 0;
		this.active = segment;
	}

	private void deleteOldSegments() {
		List<Path> segments = segments();
		int excess = segments.size() - this.settings.maxSegments();
		for (int i = 0; i < segments.size() - 1 && excess > 0; i++) {
			Path segment = segments.get(i);
			if (!this.shipped.test(segment)) {
				// Unshipped events are never deleted: the disk fills before anything is
				// lost.
				logger.warn("Audit journal holds {} segments, more than {}: the networked sink is behind",
						segments.size(), this.settings.maxSegments());
				return;
			}
			try {
				Files.deleteIfExists(segment);
				excess--;
			}
			catch (IOException ex) {
				logger.warn("Cannot delete the audit segment {}: {}", segment, ex.toString());
				return;
			}
		}
	}

	@Override
	public String toString() {
		return "AuditJournal[" + this.settings.directory() + ", fsync=" + this.settings.fsync() + "]";
	}

	private sealed interface Entry {

		record Line(byte[] bytes) implements Entry {

		}

		record Barrier(CountDownLatch done) implements Entry {

		}

	}

}
