package dev.atrium.observability.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import dev.atrium.testsupport.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JournalShipperTests {

	@TempDir
	Path directory;

	@Test
	void aSlowSinkFallsBehindAndCatchesUpWithoutLosingOrReordering() throws Exception {
		List<String> delivered = new CopyOnWriteArrayList<>();
		AuditSink slow = (events) -> {
			Thread.sleep(20);
			delivered.addAll(events);
		};
		try (AuditJournal journal = journal(4096);
				JournalShipper shipper = new JournalShipper(journal, slow, 50, Duration.ofMillis(200))) {
			for (int i = 0; i < 2000; i++) {
				journal.append("{\"n\":" + i + "}");
			}
			await(() -> delivered.size() >= 2000);
		}
		assertThat(delivered).hasSize(2000);
		for (int i = 0; i < 2000; i++) {
			assertThat(delivered.get(i)).isEqualTo("{\"n\":" + i + "}");
		}
	}

	@Test
	void aSinkThatIsDownGetsEverythingWhenItIsBack() throws Exception {
		List<String> delivered = new CopyOnWriteArrayList<>();
		AtomicBoolean down = new AtomicBoolean(true);
		AuditSink flaky = (events) -> {
			if (down.get()) {
				throw new IllegalStateException("unreachable");
			}
			delivered.addAll(events);
		};
		try (AuditJournal journal = journal(2048);
				JournalShipper shipper = new JournalShipper(journal, flaky, 100, Duration.ofMillis(100))) {
			for (int i = 0; i < 500; i++) {
				journal.append("{\"n\":" + i + "}");
			}
			assertThat(journal.flush(5, TimeUnit.SECONDS)).isTrue();
			await(shipper::failing);
			assertThat(delivered).isEmpty();
			down.set(false);
			await(() -> delivered.size() >= 500);
			assertThat(shipper.failing()).isFalse();
		}
		assertThat(delivered).hasSize(500);
	}

	@Test
	void aRestartedShipperResumesAtItsCheckpointAndSkipsACutLine() throws Exception {
		List<String> delivered = new CopyOnWriteArrayList<>();
		try (AuditJournal journal = journal(1024 * 1024);
				JournalShipper shipper = new JournalShipper(journal, delivered::addAll, 100, Duration.ofMillis(100))) {
			journal.append("{\"n\":1}");
			await(() -> delivered.size() == 1);
		}
		Path segment;
		try (var files = Files.list(this.directory)) {
			segment = files.filter((file) -> file.toString().endsWith(".jsonl")).sorted().findFirst().get();
		}
		Files.writeString(segment, "{\"n\":2}\n{\"cut", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		try (AuditJournal journal = journal(1024 * 1024);
				JournalShipper shipper = new JournalShipper(journal, delivered::addAll, 100, Duration.ofMillis(100))) {
			journal.append("{\"n\":3}");
			await(() -> delivered.size() >= 3);
		}
		assertThat(delivered).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
	}

	@Test
	void aRedisStreamGetsEveryEventAlsoAcrossAnOutage() throws Exception {
		LocalRedis redis = LocalRedis.start();
		int port = redis.port();
		RedisStreamSink sink = new RedisStreamSink(redis.uri(), "atrium:audit", 0, Duration.ofSeconds(2));
		try (AuditJournal journal = journal(8192);
				JournalShipper shipper = new JournalShipper(journal, sink, 100, Duration.ofMillis(200))) {
			for (int i = 0; i < 300; i++) {
				journal.append("{\"n\":" + i + "}");
			}
			await(() -> shipper.shipped() >= 300);
			redis.close();
			for (int i = 300; i < 600; i++) {
				journal.append("{\"n\":" + i + "}");
			}
			await(shipper::failing);
			// A new, empty Redis on the same address: what the outage held back arrives.
			redis = LocalRedis.start(port);
			await(() -> shipper.shipped() >= 600);
			List<String> events = stream(redis.uri());
			assertThat(events).hasSize(300);
			assertThat(events.get(0)).isEqualTo("{\"n\":300}");
			assertThat(events.get(299)).isEqualTo("{\"n\":599}");
		}
		finally {
			redis.close();
		}
	}

	private AuditJournal journal(long segmentBytes) {
		return new AuditJournal(
				new JournalSettings(this.directory, FsyncPolicy.INTERVAL, Duration.ofMillis(100), segmentBytes, 1000));
	}

	private static List<String> stream(String uri) {
		RedisClient client = RedisClient.create(uri);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> events = new ArrayList<>();
			for (StreamMessage<String, String> message : connection.sync()
				.xread(XReadArgs.Builder.count(10_000), XReadArgs.StreamOffset.from("atrium:audit", "0"))) {
				events.add(message.getBody().get("event"));
			}
			return events;
		}
		finally {
			client.shutdown();
		}
	}

	private static void await(BooleanSupplier condition) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(condition::getAsBoolean);
	}

}
