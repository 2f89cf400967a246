package dev.atrium.benchmarks.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;

/**
 * How long and how hard a run goes. {@code smoke} proves the harness end to end in well
 * under a minute and a half on 2 cores and measures nothing worth quoting; {@code full}
 * is the real run. Any value can be changed with {@code --name=value}.
 *
 * @param mode {@code smoke} or {@code full}
 * @param window length of one warm-up window
 * @param warmupCap longest warm-up of the JVM gateways (the plain gateway, Atrium)
 * @param baselineWarmupCap longest warm-up of {@code direct} and {@code nginx}, whose
 * only JIT is the small upstream's: it reaches its plateau within a minute, after which
 * their windows vary with the load generator more than the tolerance allows
 * @param anonymousWarmupCap longest warm-up of Atrium's anonymous scenario, measured on
 * the comparison's Atrium once it is warm (only the paths that differ are new to it)
 * @param tolerance how far each of the last three windows may be from their mean, and how
 * far that mean may be above the mean of the three before them
 * @param subjects the paths the comparison measures, of {@code direct}, {@code nginx},
 * {@code plain}, {@code atrium} (a focused run, e.g. to profile Atrium, names one)
 * @param throughputTime length of the closed-loop throughput measurement
 * @param connections connections of the closed loop
 * @param latencyTime length of the fixed-rate run
 * @param rate requests per second of the fixed-rate run; 0 picks half the slowest
 * subject's throughput
 * @param openLoopConnections connection pool of the fixed-rate run
 * @param catalogTargets target counts of the catalog run
 * @param catalogLatencyTime length of each fixed-rate run of the catalog run
 * @param separateCatalogAtrium whether the catalog run has an Atrium of its own
 * ({@code --catalog-atrium=separate}: its background catalog reads then do not disturb
 * the comparison) or shares the comparison's ({@code shared}: one JVM less to start)
 * @param sessionSteps counts of sessions holding an open SSE stream in the memory run
 * @param streamSteps concurrent streaming call counts of the memory run
 * @param jmh whether to run the JMH benchmarks
 * @param jvmOptions options of every JVM under test ({@code --jvm="-Xmx1g ..."})
 * @param atriumProperties extra Atrium properties, e.g. for features that land later
 * @param paths where things are
 */
public record BenchSettings(String mode, Duration window, Duration warmupCap, Duration baselineWarmupCap,
		Duration anonymousWarmupCap, double tolerance, List<String> subjects, Duration throughputTime, int connections,
		Duration latencyTime, int rate, int openLoopConnections, List<Integer> catalogTargets,
		Duration catalogLatencyTime, boolean separateCatalogAtrium, List<Integer> sessionSteps,
		List<Integer> streamSteps, boolean jmh, List<String> jvmOptions, Map<String, String> atriumProperties,
		Paths paths) {

	/**
	 * The JVM options of every JVM under test in a real run: a heap that bounds nothing
	 * the run does (10,000 open streams need more than the 384 MB a pod of 512 MiB gets),
	 * neither fixed nor touched, so that RSS after a full collection is what the process
	 * holds. On 2 cores the JVM starts one C1 and one C2 compiler thread, which the
	 * request threads of every process on the machine crowd out while the load runs: four
	 * compiler threads get the JIT its share sooner (the same for every JVM; idle once
	 * the code is compiled).
	 */
	private static final String FULL_JVM = "-Xmx1g -XX:+UseG1GC -XX:CICompilerCount=4";

	/** Every path of the comparison, in the order it is measured and reported. */
	public static final List<String> ALL_SUBJECTS = List.of("direct", "nginx", "plain", "atrium");

	/** In the smoke run the JVMs only have to start fast and answer. */
	private static final String SMOKE_JVM = "-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

	private static final Map<String, String> SMOKE = Map.ofEntries(Map.entry("window", "1s"),
			Map.entry("warmup-cap", "1s"), Map.entry("baseline-warmup-cap", "1s"),
			Map.entry("anonymous-warmup-cap", "1s"), Map.entry("tolerance", "0.05"),
			Map.entry("subjects", String.join(",", ALL_SUBJECTS)), Map.entry("throughput-time", "1s"),
			Map.entry("connections", "16"), Map.entry("latency-time", "1s"), Map.entry("rate", "50"),
			Map.entry("open-loop-connections", "32"), Map.entry("catalog-targets", "2"),
			Map.entry("catalog-latency-time", "1s"), Map.entry("catalog-atrium", "shared"), Map.entry("sessions", "50"),
			Map.entry("streams", "20"), Map.entry("jmh", "false"), Map.entry("jvm", SMOKE_JVM));

	/**
	 * The full run, budgeted to finish in under 15 minutes on 2 cores with the build:
	 * warm-ups of 5 s windows (at least 30 s; at most 120 s for the JVM gateways, 60 s
	 * for direct and nginx, 30 s for Atrium's anonymous scenario), 10 s of saturation and
	 * 10 s of fixed rate per subject, the memory run at the 10,000 target, the catalog
	 * run on the comparison's (already warm) Atrium, short JMH iterations.
	 */
	private static final Map<String, String> FULL = Map.ofEntries(Map.entry("window", "5s"),
			Map.entry("warmup-cap", "120s"), Map.entry("baseline-warmup-cap", "60s"),
			Map.entry("anonymous-warmup-cap", "30s"), Map.entry("tolerance", "0.05"),
			Map.entry("subjects", String.join(",", ALL_SUBJECTS)), Map.entry("throughput-time", "10s"),
			Map.entry("connections", "32"), Map.entry("latency-time", "10s"), Map.entry("rate", "0"),
			Map.entry("open-loop-connections", "64"), Map.entry("catalog-targets", "1,10,100"),
			Map.entry("catalog-latency-time", "5s"), Map.entry("catalog-atrium", "shared"),
			Map.entry("sessions", "10000"), Map.entry("streams", ""), Map.entry("jmh", "true"),
			Map.entry("jvm", FULL_JVM));

	/**
	 * The settings of a mode with options on top.
	 * @param mode {@code smoke} or {@code full}
	 * @param paths where things are
	 * @param args options {@code --name=value}; {@code --atrium=property=value} adds an
	 * Atrium property and may repeat
	 * @return the settings
	 */
	public static BenchSettings of(String mode, Paths paths, String... args) {
		Map<String, String> values = new LinkedHashMap<>(switch (mode) {
			case "smoke" -> SMOKE;
			case "full" -> FULL;
			default -> throw new IllegalArgumentException("mode must be smoke or full, was '" + mode + "'");
		});
		Map<String, String> atrium = new LinkedHashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("options look like --name=value, was '" + arg + "'");
			}
			String name = arg.substring(2, arg.indexOf('='));
			String value = arg.substring(arg.indexOf('=') + 1);
			if (name.equals("atrium") && value.contains("=")) {
				atrium.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
			}
			else if (values.containsKey(name)) {
				values.put(name, value);
			}
			else {
				throw new IllegalArgumentException("unknown option --" + name + "; known: " + values.keySet()
						+ " and --atrium=<property>=<value>");
			}
		}
		return new BenchSettings(mode, duration(values.get("window")), duration(values.get("warmup-cap")),
				duration(values.get("baseline-warmup-cap")), duration(values.get("anonymous-warmup-cap")),
				Double.parseDouble(values.get("tolerance")), subjects(values.get("subjects")),
				duration(values.get("throughput-time")), positive("connections", values.get("connections")),
				duration(values.get("latency-time")), Integer.parseInt(values.get("rate")),
				positive("open-loop-connections", values.get("open-loop-connections")),
				ints(values.get("catalog-targets")), duration(values.get("catalog-latency-time")),
				separate(values.get("catalog-atrium")), ints(values.get("sessions")), ints(values.get("streams")),
				Boolean.parseBoolean(values.get("jmh")), options(values.get("jvm")), Map.copyOf(atrium), paths);
	}

	private static List<String> options(String value) {
		return List.of(value.trim().split("\\s+"));
	}

	/** The longest warm-up of a path of the comparison. */
	public Duration warmupCap(String subject) {
		return switch (subject) {
			case "direct", "nginx" -> this.baselineWarmupCap;
			default -> this.warmupCap;
		};
	}

	private static Duration duration(String value) {
		return DurationStyle.detectAndParse(value);
	}

	private static List<String> subjects(String value) {
		List<String> subjects = Arrays.stream(value.split(",")).map(String::trim).toList();
		if (subjects.isEmpty() || !ALL_SUBJECTS.containsAll(subjects)) {
			throw new IllegalArgumentException("subjects must be some of " + ALL_SUBJECTS + ", was '" + value + "'");
		}
		return ALL_SUBJECTS.stream().filter(subjects::contains).toList();
	}

	/** Whether the comparison measures the given path. */
	public boolean measures(String subject) {
		return this.subjects.contains(subject);
	}

	private static boolean separate(String value) {
		return switch (value) {
			case "separate" -> true;
			case "shared" -> false;
			default -> throw new IllegalArgumentException("catalog-atrium must be separate or shared, was " + value);
		};
	}

	private static int positive(String name, String value) {
		int parsed = Integer.parseInt(value);
		if (parsed <= 0) {
			throw new IllegalArgumentException(name + " must be > 0, was " + parsed);
		}
		return parsed;
	}

	private static List<Integer> ints(String value) {
		return value.isBlank() ? List.of()
				: Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
	}

	/**
	 * Where things are.
	 *
	 * @param gatewayJar Atrium's exec jar
	 * @param classpath the classpath of the JVMs started from this module
	 * @param workDir configuration files and logs of the processes started
	 * @param report where the report is written too (may be null)
	 */
	public record Paths(Path gatewayJar, String classpath, Path workDir, Path report) {

	}

}
