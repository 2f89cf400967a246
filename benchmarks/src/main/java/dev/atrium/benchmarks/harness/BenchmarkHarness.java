package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.atrium.benchmarks.harness.ComparisonRun.Saturation;
import dev.atrium.benchmarks.harness.ComparisonRun.SubjectResult;
import dev.atrium.benchmarks.harness.Launcher.Started;
import dev.atrium.benchmarks.load.LoadGenerator.WarmUp;
import dev.atrium.benchmarks.load.McpEndpoint;

/**
 * One command, one run: starts the upstream, nginx, the plain gateway and Atrium on
 * loopback, checks that each path answers a correct {@code tools/call}, compares them,
 * runs the scaling measurements, and prints the report.
 *
 * <pre>
 * BenchmarkHarness smoke|full [--name=value ...]
 * </pre>
 *
 * Paths come from system properties ({@code atrium.bench.gateway-jar},
 * {@code atrium.bench.classpath-file}, {@code atrium.bench.classes-dir},
 * {@code atrium.bench.work-dir}, optionally {@code atrium.bench.report}), which the build
 * sets.
 */
public final class BenchmarkHarness {

	private final BenchSettings settings;

	private final Launcher launcher;

	private String loadAtStart;

	/** Why the memory run stopped early, if it did; the report says so. */
	private String memoryStopped;

	BenchmarkHarness(BenchSettings settings) {
		this.settings = settings;
		this.launcher = new Launcher(settings.paths(), settings.jvmOptions());
	}

	public static void main(String[] args) throws IOException {
		if (args.length == 0) {
			System.err.println("usage: BenchmarkHarness smoke|full [--name=value ...]");
			System.exit(2);
		}
		BenchSettings settings = BenchSettings.of(args[0], pathsFromSystemProperties(),
				Arrays.copyOfRange(args, 1, args.length));
		BenchReport report = run(settings);
		String text = report.render();
		System.out.println();
		System.out.println(text);
		if (settings.paths().report() != null) {
			Files.writeString(settings.paths().report(), text);
			System.out.println("Report written to " + settings.paths().report());
		}
		String results = System.getProperty("atrium.bench.results-dir");
		if (results != null) {
			// Kept with the sources, one file per run, named by when and what was
			// measured.
			Path kept = Path.of(results)
				.resolve(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm").format(ZonedDateTime.now()) + "-"
						+ report.environment().getOrDefault("commit", "unknown") + ".md");
			Files.createDirectories(kept.getParent());
			Files.writeString(kept, text);
			System.out.println("Report kept in " + kept);
		}
		// JMH and Reactor leave non-daemon threads; the run is over.
		System.exit(0);
	}

	/** Runs everything the settings ask for and stops every process it started. */
	public static BenchReport run(BenchSettings settings) {
		return new BenchmarkHarness(settings).run();
	}

	public static BenchSettings.Paths pathsFromSystemProperties() {
		String report = System.getProperty("atrium.bench.report");
		// Absolute: the processes started run in the work directory.
		return new BenchSettings.Paths(path("atrium.bench.gateway-jar"),
				Launcher.classpath(path("atrium.bench.classes-dir"), path("atrium.bench.classpath-file")),
				path("atrium.bench.work-dir"), (report != null) ? Path.of(report).toAbsolutePath() : null);
	}

	private static Path path(String property) {
		return Path.of(required(property)).toAbsolutePath();
	}

	private static String required(String property) {
		String value = System.getProperty(property);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("System property " + property + " is not set (the build sets it; run "
					+ "benchmarks/run.sh or ./mvnw -pl benchmarks -am -Pbench -DskipTests verify)");
		}
		return value;
	}

	BenchReport run() {
		// Before anything starts: without nginx there is no comparison.
		String nginxVersion = Nginx.version();
		long started = System.nanoTime();
		this.loadAtStart = loadAverage();
		cleanWorkDir();
		try (Issuer issuer = new Issuer(Duration.ofHours(12))) {
			Started upstream = this.launcher.upstream();
			try (ChildProcess upstreamProcess = upstream.process()) {
				return measure(issuer, upstream, nginxVersion, started);
			}
		}
	}

	/** Logs and configuration of an earlier run would be mistaken for this one's. */
	private void cleanWorkDir() {
		Path dir = this.settings.paths().workDir();
		if (!Files.isDirectory(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			files.sorted(Comparator.reverseOrder())
				.filter((path) -> !path.equals(dir))
				.forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private BenchReport measure(Issuer issuer, Started upstream, String nginxVersion, long started) {
		CompletableFuture<Started> nginx = CompletableFuture.supplyAsync(() -> this.launcher.nginx(upstream.port()));
		CompletableFuture<Started> plain = CompletableFuture
			.supplyAsync(() -> this.launcher.plainGateway(upstream.port(), issuer));
		Map<String, String> atriumConfig = AtriumConfig.comparison(upstream.port(), issuer,
				this.settings.atriumProperties());
		if (!this.settings.separateCatalogAtrium()) {
			atriumConfig.putAll(catalogConfig(upstream));
		}
		CompletableFuture<AtriumProcess> atriumStart = CompletableFuture
			.supplyAsync(() -> this.launcher.atrium("atrium", atriumConfig));
		stopAllIfOneFails(nginx.thenApply(Started::process), plain.thenApply(Started::process), atriumStart);
		try (ChildProcess nginxProcess = join(nginx).process();
				ChildProcess plainProcess = join(plain).process();
				AtriumProcess atrium = join(atriumStart)) {
			List<Subject.Verified> verified = new ArrayList<>();
			verified.add(subject(BenchReport.DIRECT, upstream.url("/mcp"), issuer, "echo"));
			verified.add(subject(BenchReport.NGINX, join(nginx).url("/mcp"), issuer, "echo"));
			verified.add(subject(BenchReport.PLAIN, join(plain).url("/mcp"), issuer, "echo"));
			verified.add(subject(BenchReport.ATRIUM, atrium.mcpUri("/bench").toString(), issuer, "up___echo"));
			Map<String, String> answers = new LinkedHashMap<>();
			verified.forEach((v) -> answers.put(v.subject().name(), v.answered()));
			if (!atrium.metricsRecorded()) {
				throw new IllegalStateException("Atrium recorded no atrium_mcp_requests metric: metrics are not on");
			}
			Map<String, Duration> sections = new LinkedHashMap<>();
			sections.put("start and check", Duration.ofNanos(System.nanoTime() - started));
			ComparisonRun comparison = new ComparisonRun(this.settings);
			List<Subject> measured = new ArrayList<>();
			for (int i = 0; i < verified.size(); i++) {
				if (this.settings.measures(BenchSettings.ALL_SUBJECTS.get(i))) {
					measured.add(verified.get(i).subject());
				}
			}
			Map<Subject, Saturation> saturated = timed(sections, "comparison (warm-ups, throughput)",
					() -> comparison.saturateAll(measured));
			int rate = comparison.rate(saturated.values());
			// The anonymous scenario is saturated before the latency runs: Atrium's JIT
			// then has that load too before its latencies are taken.
			Subject open = this.settings.measures("atrium") ? openScenario(atrium) : null;
			Saturation openSaturated = (open != null) ? timed(sections, "token validation (throughput)",
					() -> comparison.saturate(open, this.settings.anonymousWarmupCap())) : null;
			List<SubjectResult> results = timed(sections, "comparison (latency)",
					() -> comparison.latencies(saturated, rate));
			SubjectResult anonymous = (open != null) ? timed(sections, "token validation (latency)",
					() -> anonymous(comparison, open, openSaturated, rate)) : null;
			// The other proxies are done: their memory and threads leave the machine to
			// Atrium.
			nginxProcess.close();
			plainProcess.close();
			List<MemoryRun.Step> memory = timed(sections, "memory", () -> memory(atrium, issuer));
			CatalogOutcome catalogs;
			if (this.settings.separateCatalogAtrium()) {
				atrium.close();
				catalogs = timed(sections, "catalog", () -> catalogs(upstream, null));
			}
			else {
				catalogs = timed(sections, "catalog", () -> catalogs(upstream, atrium));
			}
			List<HotPathsRun.Score> hotPaths = this.settings.jmh() ? timed(sections, "JMH", HotPathsRun::run)
					: List.of();
			Map<String, String> environment = environment(issuer, nginxVersion, started);
			environment.put("time per section",
					sections.entrySet()
						.stream()
						.map((section) -> section.getKey() + " " + section.getValue().toSeconds() + " s")
						.collect(Collectors.joining(", ")));
			return new BenchReport(environment, answers, results, rate, anonymous, catalogs.warmUp(),
					catalogs.results(), memory, hotPaths);
		}
	}

	private static <T> T timed(Map<String, Duration> sections, String name, Supplier<T> section) {
		long start = System.nanoTime();
		try {
			return section.get();
		}
		finally {
			sections.put(name, Duration.ofNanos(System.nanoTime() - start));
			ComparisonRun.log("section %s took %d s", name, sections.get(name).toSeconds());
		}
	}

	private Subject.Verified subject(String name, String url, Issuer issuer, String tool) {
		Subject.Verified verified = new Subject(name, new McpEndpoint(name, URI.create(url), issuer.token(), null),
				tool)
			.verify();
		ComparisonRun.log("%s answers tools/call %s correctly", name, tool);
		return verified;
	}

	private static Subject openScenario(AtriumProcess atrium) {
		return new Subject("Atrium anonymous", new McpEndpoint("atrium-open", atrium.mcpUri("/open"), null, null),
				"up___echo")
			.verify()
			.subject();
	}

	private static SubjectResult anonymous(ComparisonRun comparison, Subject open, Saturation saturation, int rate) {
		SubjectResult result = new SubjectResult(open.name(), saturation.warmUp(), saturation.throughput(),
				comparison.latency(open, rate));
		ComparisonRun.log("anonymous: %.0f requests/s, p50 %.2f ms", result.throughput().throughput(),
				result.latency().percentileMillis(50));
		return result;
	}

	private List<MemoryRun.Step> memory(AtriumProcess atrium, Issuer issuer) {
		McpEndpoint sessionless = new McpEndpoint("atrium-memory", atrium.mcpUri("/bench"), issuer.token(), null);
		MemoryRun run = new MemoryRun(atrium, sessionless);
		List<MemoryRun.Step> steps = new ArrayList<>();
		try {
			this.settings.sessionSteps().forEach((count) -> steps.add(run.sessionStreams(count)));
			if (!this.settings.streamSteps().isEmpty()) {
				MemoryRun streams = new MemoryRun(atrium, sessionless.initialize());
				this.settings.streamSteps().forEach((count) -> steps.add(streams.streams(count)));
			}
		}
		catch (IllegalStateException ex) {
			// Atrium out of memory is a result, not a reason to lose the whole report.
			this.memoryStopped = ex.getMessage();
			ComparisonRun.log("memory run stopped: %s", ex.getMessage());
		}
		return steps;
	}

	private Map<String, String> catalogConfig(Started upstream) {
		return AtriumConfig.catalogs(upstream.port(), this.settings.catalogTargets(), CatalogRun.CATALOG_TTL,
				this.settings.atriumProperties());
	}

	/** The catalog run, on the given Atrium or, when null, on one of its own. */
	private CatalogOutcome catalogs(Started upstream, AtriumProcess shared) {
		if (this.settings.catalogTargets().isEmpty()) {
			return new CatalogOutcome(null, List.of());
		}
		AtriumProcess atrium = (shared != null) ? shared
				: this.launcher.atrium("atrium-catalogs", catalogConfig(upstream));
		try {
			CatalogRun run = new CatalogRun(this.settings, atrium, upstream.url(""));
			// The comparison's Atrium has been warmed (and measured) already.
			WarmUp warmUp = (shared != null && this.settings.measures("atrium")) ? null : run.warmUp();
			List<CatalogRun.Result> results = this.settings.catalogTargets().stream().map(run::run).toList();
			return new CatalogOutcome(warmUp, results);
		}
		finally {
			if (shared == null) {
				atrium.close();
			}
		}
	}

	private static String memoryGiB() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return String.format("%.1f", os.getTotalMemorySize() / (1024.0 * 1024 * 1024));
		}
		return "?";
	}

	/**
	 * The commit measured, as {@code git} sees the working tree; {@code unknown} without
	 * git.
	 */
	private static String commit() {
		try {
			Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
			String commit = new String(git.getInputStream().readAllBytes()).strip();
			return (git.waitFor() == 0 && commit.matches("[0-9a-f]{4,40}")) ? commit : "unknown";
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	private Map<String, String> environment(Issuer issuer, String nginxVersion, long started) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		environment.put("commit", commit());
		environment.put("mode", this.settings.mode() + " (run took "
				+ Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s)");
		environment.put("machine",
				Runtime.getRuntime().availableProcessors() + " cores, " + memoryGiB() + " GiB, "
						+ ManagementFactory.getOperatingSystemMXBean().getName() + " "
						+ ManagementFactory.getOperatingSystemMXBean().getVersion()
						+ ", shared by every process of the run " + "(load generator included)");
		environment.put("load average (1, 5, 15 min)", "at start " + this.loadAtStart + ", at the end " + loadAverage()
				+ " (other work on the machine shows here)");
		environment.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		environment.put("JVMs under test",
				String.join(" ", this.settings.jvmOptions())
						+ " (the same for the upstream, the plain gateway and Atrium; no -Xms, no pre-touch: RSS after "
						+ "a full collection is what the process holds; no AOT cache, no CDS archive of their own)");
		environment.put("memory run", "on the comparison's Atrium, after it"
				+ ((this.memoryStopped != null) ? "; STOPPED EARLY: " + this.memoryStopped : ""));
		environment.put("catalog run", this.settings.separateCatalogAtrium() ? "on an Atrium of its own"
				: "on the comparison's Atrium (its 100 bulk targets are read in the background all along)");
		environment.put("nginx", nginxVersion + ", worker_processes auto, keep-alive to the upstream");
		environment.put("token", issuer.algorithm() + " JWT, validated on every request by Atrium and the plain "
				+ "gateway; sent to every path");
		environment.put("load", String.format(
				"warm-up windows of %s until the last three are within %.0f%% of their mean and that mean is "
						+ "within as much of the three before (cap %s for the JVM gateways, %s for direct and nginx, "
						+ "%s for Atrium's anonymous scenario); throughput: "
						+ "%d connections closed loop for %s; latency: open loop for %s, pool of %d connections",
				this.settings.window().toSeconds() + " s", this.settings.tolerance() * 100,
				this.settings.warmupCap().toSeconds() + " s", this.settings.baselineWarmupCap().toSeconds() + " s",
				this.settings.anonymousWarmupCap().toSeconds() + " s", this.settings.connections(),
				this.settings.throughputTime().toSeconds() + " s", this.settings.latencyTime().toSeconds() + " s",
				this.settings.openLoopConnections()));
		return environment;
	}

	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + ", " + fields[1] + ", " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/** Processes started side by side: if one cannot start, none is left running. */
	@SafeVarargs
	private static void stopAllIfOneFails(CompletableFuture<? extends AutoCloseable>... starts) {
		CompletableFuture.allOf(starts).exceptionally((ex) -> null).join();
		if (Arrays.stream(starts).anyMatch(CompletableFuture::isCompletedExceptionally)) {
			for (CompletableFuture<? extends AutoCloseable> start : starts) {
				if (!start.isCompletedExceptionally()) {
					try {
						start.join().close();
					}
					catch (Exception ex) {
						// Stopping is best effort; the start failure is what gets
						// reported.
					}
				}
			}
			Arrays.stream(starts)
				.filter(CompletableFuture::isCompletedExceptionally)
				.findFirst()
				.ifPresent(BenchmarkHarness::join);
		}
	}

	private static <T> T join(CompletableFuture<T> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : ex;
		}
	}

	private record CatalogOutcome(WarmUp warmUp, List<CatalogRun.Result> results) {

	}

}
