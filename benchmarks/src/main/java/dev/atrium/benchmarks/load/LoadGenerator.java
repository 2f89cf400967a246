package dev.atrium.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Drives one kind of request in the two ways the report needs.
 * <ul>
 * <li>Closed loop: {@code n} connections, each sending its next request when the last
 * answer arrives. Gives the throughput at saturation; its latencies are not reported,
 * since a closed loop waits whenever the server stalls (coordinated omission).</li>
 * <li>Open loop: requests at a constant rate from one scheduler, each latency measured
 * from the time it was <em>meant</em> to be sent, as wrk2 does, so that a stall delays
 * every request scheduled behind it and shows in the percentiles. Requests wait for one
 * of a bounded pool of connections; that wait counts.</li>
 * </ul>
 */
public final class LoadGenerator {

	/** Latencies are recorded in microseconds, from 1 µs to 2 minutes, 3 digits. */
	private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

	private LoadGenerator() {
	}

	/** Closed loop for a while with {@code connections} concurrent requests. */
	public static Window closedLoop(Supplier<Mono<Boolean>> request, int connections, Duration duration) {
		LongAdder ok = new LongAdder();
		LongAdder failed = new LongAdder();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		Flux.range(0, connections)
			.flatMap((worker) -> Mono.defer(request)
				.doOnNext((correct) -> (correct ? ok : failed).increment())
				.repeat(() -> System.nanoTime() < deadline), connections)
			.blockLast(duration.plusSeconds(60));
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Window(seconds, ok.sum(), failed.sum());
	}

	/**
	 * Warms a subject with closed-loop windows until its throughput has stopped climbing
	 * (see {@link WarmUp#settled}), or the cap is reached.
	 */
	public static WarmUp warmUp(Supplier<Mono<Boolean>> request, int connections, Duration window, Duration cap,
			double tolerance) {
		List<Window> windows = new ArrayList<>();
		long start = System.nanoTime();
		while (true) {
			windows.add(closedLoop(request, connections, window));
			// Progress for whoever watches a run of many minutes.
			System.out.printf("[bench]   warm-up window %d: %.0f requests/s%n", windows.size(),
					windows.get(windows.size() - 1).throughput());
			boolean settled = WarmUp.settled(windows, tolerance);
			if (settled || System.nanoTime() - start >= cap.toNanos()) {
				return new WarmUp(Duration.ofNanos(System.nanoTime() - start), List.copyOf(windows), settled);
			}
		}
	}

	/**
	 * Open loop at a constant rate. A request that cannot even be issued because
	 * {@code maxInFlight} are outstanding is counted as dropped, so that the run stays
	 * bounded; a run with drops is not a valid latency measurement and says so.
	 */
	public static OpenLoopResult openLoop(Supplier<Mono<Boolean>> request, int ratePerSecond, Duration duration,
			int maxInFlight) {
		Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
		LongAdder ok = new LongAdder();
		LongAdder failed = new LongAdder();
		long dropped = 0;
		AtomicInteger inFlight = new AtomicInteger();
		long interval = 1_000_000_000L / ratePerSecond;
		long count = duration.toSeconds() * ratePerSecond;
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
		for (long i = 0; i < count; i++) {
			long intended = start + i * interval;
			for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
				LockSupport.parkNanos(wait);
			}
			if (inFlight.get() >= maxInFlight) {
				dropped++;
				continue;
			}
			inFlight.incrementAndGet();
			Mono.defer(request).subscribe((correct) -> {
				long micros = Math.max(1, (System.nanoTime() - intended) / 1000);
				recorder.recordValue(Math.min(micros, HIGHEST_MICROS));
				(correct ? ok : failed).increment();
				inFlight.decrementAndGet();
			}, (ex) -> {
				failed.increment();
				inFlight.decrementAndGet();
			});
		}
		long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
		Histogram histogram = recorder.getIntervalHistogram();
		return new OpenLoopResult(ratePerSecond, duration, histogram, ok.sum(), failed.sum(), dropped, inFlight.get());
	}

	/** One closed-loop window. */
	public record Window(double seconds, long ok, long failed) {

		public double throughput() {
			return this.ok / this.seconds;
		}

	}

	/** The warm-up of one subject: how long it took and whether it settled. */
	public record WarmUp(Duration took, List<Window> windows, boolean settled) {

		/**
		 * Windows that agree with each other, and as many before them to compare with.
		 */
		static final int PLATEAU = 3;

		/**
		 * Settled: the last three windows lie within {@code tolerance} of their mean,
		 * <em>and</em> that mean is within {@code tolerance} of the mean of the three
		 * windows before them. Three close windows alone are not enough: a JVM whose JIT
		 * is still at work climbs slowly enough for three consecutive windows to agree
		 * (81, 130, 144, 199, 203, 214 requests/s did), and three close windows in a dip
		 * (592, 548, 576 after 573, 732, 680) are not the plateau either. A warm-up is
		 * therefore at least six windows long.
		 */
		static boolean settled(List<Window> windows, double tolerance) {
			if (windows.size() < 2 * PLATEAU) {
				return false;
			}
			List<Window> last = windows.subList(windows.size() - PLATEAU, windows.size());
			List<Window> before = windows.subList(windows.size() - 2 * PLATEAU, windows.size() - PLATEAU);
			double mean = mean(last);
			// Neither still climbing nor in a dip: a fall (a collection, a
			// deoptimisation) is not where the JVM settles either.
			return mean > 0 && last.stream().allMatch((w) -> Math.abs(w.throughput() - mean) <= tolerance * mean)
					&& Math.abs(mean - mean(before)) <= tolerance * mean(before);
		}

		private static double mean(List<Window> windows) {
			return windows.stream().mapToDouble(Window::throughput).average().orElse(0);
		}

	}

	/** The latencies of an open-loop run, in microseconds. */
	public record OpenLoopResult(int rate, Duration duration, Histogram histogram, long ok, long failed, long dropped,
			int unfinished) {

		public boolean valid() {
			return this.failed == 0 && this.dropped == 0 && this.unfinished == 0;
		}

		public double percentileMillis(double percentile) {
			return this.histogram.getValueAtPercentile(percentile) / 1000.0;
		}

		public double maxMillis() {
			return this.histogram.getMaxValue() / 1000.0;
		}

	}

}
