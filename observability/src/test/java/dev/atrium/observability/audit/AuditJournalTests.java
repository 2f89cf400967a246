package dev.atrium.observability.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AuditJournalTests {

	@TempDir
	Path directory;

	@Test
	void eventsFromManyThreadsAreAllWrittenOnceAcrossSegments() throws Exception {
		int events = 20_000;
		try (AuditJournal journal = new AuditJournal(settings(FsyncPolicy.INTERVAL, 64 * 1024, 1000))) {
			ExecutorService pool = Executors.newFixedThreadPool(8);
			for (int i = 0; i < events; i++) {
				int id = i;
				pool.execute(() -> journal.append("{\"event_id\":\"e" + id + "\"}"));
			}
			pool.shutdown();
			assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			assertThat(journal.flush(30, TimeUnit.SECONDS)).isTrue();
			assertThat(journal.segments()).hasSizeGreaterThan(3);
			assertThat(journal.pending()).isZero();
		}
		List<String> lines = lines();
		assertThat(lines).hasSize(events);
		assertThat(new HashSet<>(lines)).hasSize(events);
	}

	@Test
	void aReopenedJournalBeginsANewSegmentAndKeepsTheOldOnes() throws Exception {
		try (AuditJournal journal = new AuditJournal(settings(FsyncPolicy.ALWAYS, 1024 * 1024, 10))) {
			journal.append("{\"n\":1}");
		}
		// A crash cut the last line short.
		Path first = Files.list(this.directory).filter((file) -> file.toString().endsWith(".jsonl")).findFirst().get();
		Files.writeString(first, "{\"n\":2", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
		try (AuditJournal journal = new AuditJournal(settings(FsyncPolicy.ALWAYS, 1024 * 1024, 10))) {
			journal.append("{\"n\":3}");
			assertThat(journal.flush(5, TimeUnit.SECONDS)).isTrue();
			assertThat(journal.segments()).hasSize(2);
			assertThat(Files.readString(journal.activeSegment())).isEqualTo("{\"n\":3}\n");
		}
	}

	@Test
	void oneDirectoryHoldsOneJournal() {
		try (AuditJournal journal = new AuditJournal(settings(FsyncPolicy.NEVER, 1024 * 1024, 10))) {
			assertThatIllegalStateException()
				.isThrownBy(() -> new AuditJournal(settings(FsyncPolicy.NEVER, 1024 * 1024, 10)))
				.withMessageContaining("in use");
		}
	}

	@Test
	void segmentsBeyondTheMaximumAreDeletedOnlyOnceShipped() throws Exception {
		Set<Path> shipped = new HashSet<>();
		try (AuditJournal journal = new AuditJournal(settings(FsyncPolicy.NEVER, 1024, 3))) {
			journal.retainUnless(shipped::contains);
			for (int i = 0; i < 100; i++) {
				journal.append("{\"event_id\":\"" + "x".repeat(200) + i + "\"}");
			}
			assertThat(journal.flush(5, TimeUnit.SECONDS)).isTrue();
			List<Path> all = journal.segments();
			assertThat(all).hasSizeGreaterThan(10);
			shipped.addAll(all.subList(0, all.size() - 1));
			journal.append("{\"event_id\":\"" + "y".repeat(1100) + "\"}");
			journal.append("{\"event_id\":\"last\"}");
			assertThat(journal.flush(5, TimeUnit.SECONDS)).isTrue();
			assertThat(journal.segments()).hasSize(3);
		}
	}

	@Test
	void underTheIntervalPolicyWritesReachTheDiskWithinTheInterval() throws Exception {
		try (AuditJournal journal = new AuditJournal(
				new JournalSettings(this.directory, FsyncPolicy.INTERVAL, Duration.ofMillis(50), 1024 * 1024, 10))) {
			journal.append("{\"n\":1}");
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (journal.written() < 1 && System.nanoTime() < deadline) {
				Thread.onSpinWait();
			}
			assertThat(Files.readString(journal.activeSegment())).isEqualTo("{\"n\":1}\n");
		}
	}

	private JournalSettings settings(FsyncPolicy fsync, long segmentBytes, int segments) {
		return new JournalSettings(this.directory, fsync, Duration.ofMillis(200), segmentBytes, segments);
	}

	private List<String> lines() throws IOException {
		List<String> lines = new ArrayList<>();
		try (var files = Files.list(this.directory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".jsonl")).sorted().toList()) {
				lines.addAll(Files.readAllLines(file));
			}
		}
		return lines;
	}

}
