package dev.atrium.benchmarks.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.atrium.benchmarks.harness.AtriumProcess.Memory;
import dev.atrium.benchmarks.load.McpEndpoint;
import dev.atrium.benchmarks.load.McpLoadClient;
import dev.atrium.benchmarks.load.McpMessages;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What Atrium holds per client: memory (RSS and live heap after a full collection) with N
 * sessions each holding its standalone SSE stream open ({@code GET} on the MCP endpoint,
 * which a client keeps open to hear from the server between calls), and with N concurrent
 * {@code tools/call}s whose answers stream for a long time (the upstream's {@code slow}
 * tool).
 */
final class MemoryRun {

	/** How long a streaming call lasts: longer than any step takes to measure. */
	private static final int STREAM_SECONDS = 300;

	/** How long without a newly opened stream ends the wait for more. */
	private static final Duration NO_PROGRESS = Duration.ofSeconds(15);

	private static final int RAMP_BATCH = 250;

	private final AtriumProcess atrium;

	private final McpEndpoint endpoint;

	MemoryRun(AtriumProcess atrium, McpEndpoint endpoint) {
		this.atrium = atrium;
		this.endpoint = endpoint;
	}

	/**
	 * Opens N sessions (initialize and initialized), then the standalone stream of each,
	 * ramped; measures while they are open, then closes them. A stream counts as held
	 * once its first event (the priming event) arrived.
	 */
	Step sessionStreams(int count) {
		Memory before = this.atrium.memory();
		List<String> ids = new ArrayList<>(count);
		long start = System.nanoTime();
		LongAdder failed = new LongAdder();
		LongAdder open = new LongAdder();
		Disposable.Composite streams = Disposables.composite();
		try (McpLoadClient initialize = new McpLoadClient(this.endpoint, McpMessages.initialize("bench-session"),
				"\"result\"", 64); McpLoadClient listener = new McpLoadClient(this.endpoint, "", "", count)) {
			Flux.range(0, count)
				.flatMap((i) -> initialize.openSession()
					.doOnError((ex) -> failed.increment())
					.onErrorResume((ex) -> Mono.empty()), 64)
				.doOnNext(ids::add)
				.blockLast(Duration.ofMinutes(10));
			for (int i = 0; i < ids.size(); i++) {
				streams.add(firstChunkCounted(listener.listen(ids.get(i)), open).subscribe());
				rampPause(i);
			}
			awaitProgressEnd(open, ids.size());
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			Memory during = this.atrium.memory();
			ComparisonRun.log(
					"%d sessions (%d failed to open), %d with their stream open after %.1f s: RSS %+.1f MB, "
							+ "heap %+.1f MB",
					ids.size(), failed.sum(), open.sum(), took.toMillis() / 1000.0, (during.rss() - before.rss()) / 1e6,
					(during.heap() - before.heap()) / 1e6);
			return new Step("sessions with an open SSE stream", count, (int) open.sum(), took, before, during);
		}
		finally {
			streams.dispose();
			Pause.millis(1000);
		}
	}

	private static Flux<?> firstChunkCounted(Flux<?> stream, LongAdder open) {
		AtomicBoolean first = new AtomicBoolean();
		return stream.doOnNext((chunk) -> {
			if (first.compareAndSet(false, true)) {
				open.increment();
			}
		}).onErrorResume((ex) -> Flux.empty());
	}

	/** A few hundred connects at a time, not a SYN storm. */
	private static void rampPause(int opened) {
		if (opened % RAMP_BATCH == RAMP_BATCH - 1) {
			Pause.millis(50);
		}
	}

	/**
	 * Opens N streaming calls, ramped, measures while they are open, then ends them. A
	 * call counts as held once its first event arrived; the step stops waiting when all
	 * are held or none more arrived for {@link #NO_PROGRESS} (calls Atrium queues behind
	 * its connection pool get nothing).
	 */
	Step streams(int count) {
		Memory before = this.atrium.memory();
		LongAdder open = new LongAdder();
		Disposable.Composite streams = Disposables.composite();
		long start = System.nanoTime();
		try (McpLoadClient client = new McpLoadClient(this.endpoint,
				McpMessages.slow("up___slow", STREAM_SECONDS, 1000), "", count)) {
			for (int i = 0; i < count; i++) {
				streams.add(firstChunkCounted(client.stream(), open).subscribe());
				rampPause(i);
			}
			awaitProgressEnd(open, count);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			Memory during = this.atrium.memory();
			ComparisonRun.log("%d of %d streaming calls open after %.1f s: RSS %+.1f MB, heap %+.1f MB", open.sum(),
					count, took.toMillis() / 1000.0, (during.rss() - before.rss()) / 1e6,
					(during.heap() - before.heap()) / 1e6);
			return new Step("streaming calls", count, (int) open.sum(), took, before, during);
		}
		finally {
			streams.dispose();
			// Let Atrium see the closed connections and release the upstream ones.
			Pause.millis(1000);
		}
	}

	private static void awaitProgressEnd(LongAdder open, int count) {
		long seen = -1;
		long lastProgress = System.nanoTime();
		while (open.sum() < count && System.nanoTime() - lastProgress < NO_PROGRESS.toNanos()) {
			if (open.sum() != seen) {
				seen = open.sum();
				lastProgress = System.nanoTime();
			}
			Pause.millis(200);
		}
	}

	/**
	 * One step: how many were asked for and how many Atrium actually held, and memory
	 * before and during.
	 */
	record Step(String kind, int requested, int held, Duration took, Memory before, Memory during) {

		double rssPerItemKb() {
			return (this.held > 0) ? (this.during.rss() - this.before.rss()) / 1024.0 / this.held : 0;
		}

		double heapPerItemKb() {
			return (this.held > 0) ? (this.during.heap() - this.before.heap()) / 1024.0 / this.held : 0;
		}

	}

}
