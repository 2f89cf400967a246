package dev.atrium.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the scenarios of the official MCP conformance suite
 * ({@code @modelcontextprotocol/conformance}, installed by {@link NodePeers}) against an
 * MCP endpoint, on Node 22, and reads the outcome of each scenario from the
 * {@code checks.json} the suite writes for it, not from its exit code.
 * <p>
 * A scenario {@link Outcome#PASS passes} when none of its checks is a {@code FAILURE} and
 * none a {@code WARNING} (the suite itself only counts failures); it {@link Outcome#WARN
 * warns} when it has warnings but no failure; it {@link Outcome#FAIL fails} when a check
 * failed or the scenario wrote no result.
 */
public final class ConformanceSuite {

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	// server-<scenario>-<ISO timestamp with ':' and '.' replaced by '-'>
	private static final Duration BRIDGE_TIMEOUT = Duration.ofMinutes(1);

	private static final Pattern RESULT_DIR = Pattern
		.compile("server-(.+)-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z");

	private static final Pattern LISTED_SCENARIO = Pattern.compile("^\\s+- (\\S+)(?: \\[.*])?$");

	private static final JsonMapper json = JsonMapper.builder().build();

	private ConformanceSuite() {
	}

	/**
	 * The names of the suite's server scenarios, those of its {@code all} suite, as
	 * {@code conformance list --server} prints them.
	 * @return the scenario names, in the suite's order
	 */
	public static List<String> serverScenarios() {
		Path log = NodeProcesses.logsDir().resolve("conformance-list.log");
		run(List.of("list", "--server"), log, Duration.ofMinutes(1));
		List<String> scenarios = new ArrayList<>();
		for (String line : readLines(log)) {
			Matcher matcher = LISTED_SCENARIO.matcher(line);
			if (matcher.matches()) {
				scenarios.add(matcher.group(1));
			}
		}
		if (scenarios.isEmpty()) {
			throw new IllegalStateException("The suite listed no server scenarios (see " + log + ")");
		}
		return List.copyOf(scenarios);
	}

	/**
	 * Run every server scenario of the {@code all} suite against an endpoint.
	 * @param url the MCP endpoint, on loopback
	 * @param label names the folder of this run's results and log
	 * @param scenarios the scenarios expected to run (those that wrote no result fail)
	 * @return the result of each scenario, by name, in the given order
	 */
	public static Map<String, Result> runServerScenarios(String url, String label, List<String> scenarios) {
		Path outputDir = NodeProcesses.logsDir().resolve("conformance").resolve(label);
		deleteRecursively(outputDir);
		Path log = NodeProcesses.logsDir().resolve("conformance-" + label + ".log");
		run(List.of("server", "--url", url, "--suite", "all", "--output-dir", outputDir.toString()), log, TIMEOUT);
		Map<String, Path> checksFiles = checksFiles(outputDir);
		Map<String, Result> results = new LinkedHashMap<>();
		for (String scenario : scenarios) {
			Path checks = checksFiles.get(scenario);
			results.put(scenario, (checks != null) ? result(checks)
					: new Result(Outcome.FAIL, List.of("no checks.json written (see " + log + ")")));
		}
		return results;
	}

	/**
	 * Run one client scenario of the suite with Atrium as the client. The suite starts
	 * its scenario server and runs the client command
	 * {@code conformance-client-bridge.mjs}, which hands the server's URL to this method
	 * over a loopback socket and waits; the driver then makes Atrium call that server
	 * (for example by starting an Atrium whose target it is and calling a tool through
	 * it) and stops it; then the bridge exits and the suite judges what its server saw.
	 * @param scenario the client scenario, for example {@code initialize}
	 * @param driver given the scenario server's URL, makes Atrium talk to it
	 * @return the scenario's result
	 */
	public static Result runClientScenario(String scenario, Consumer<String> driver) {
		String label = "client-" + scenario.replace('/', '-');
		Path outputDir = NodeProcesses.logsDir().resolve("conformance").resolve(label);
		deleteRecursively(outputDir);
		Path log = NodeProcesses.logsDir().resolve("conformance-" + label + ".log");
		String bridge = NodePeers.node22() + " " + NodePeers.script("conformance-client-bridge.mjs");
		try (ServerSocket bridgeSocket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			bridgeSocket.setSoTimeout((int) BRIDGE_TIMEOUT.toMillis());
			Process process = start(
					List.of("client", "--command", bridge, "--scenario", scenario, "--timeout",
							String.valueOf(TIMEOUT.toMillis()), "--output-dir", outputDir.toString()),
					log, Map.of("ATRIUM_CONFORMANCE_BRIDGE_PORT", String.valueOf(bridgeSocket.getLocalPort())));
			try (Socket connection = bridgeSocket.accept();
					BufferedReader reader = new BufferedReader(
							new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
				String url = json.readTree(reader.readLine()).path("url").asString();
				driver.accept(url);
			}
			catch (SocketTimeoutException ex) {
				NodeProcesses.stop(process);
				throw new IllegalStateException("The client command did not call back within " + BRIDGE_TIMEOUT
						+ " (see " + log + "):\n" + String.join("\n", tail(log)), ex);
			}
			await(process, log, TIMEOUT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Path checks;
		try (Stream<Path> dirs = Files.list(outputDir)) {
			checks = dirs.map((dir) -> dir.resolve("checks.json"))
				.filter(Files::isRegularFile)
				.findFirst()
				.orElse(null);
		}
		catch (IOException ex) {
			checks = null;
		}
		return (checks != null) ? result(checks)
				: new Result(Outcome.FAIL, List.of("no checks.json written (see " + log + ")"));
	}

	private static void run(List<String> arguments, Path log, Duration timeout) {
		await(start(arguments, log, Map.of()), log, timeout);
	}

	private static Process start(List<String> arguments, Path log, Map<String, String> environment) {
		Path cli = NodePeers.packageDir(NodePeers.CONFORMANCE).resolve("dist").resolve("index.js");
		List<String> command = new ArrayList<>(
				List.of(NodePeers.node22().toString(), "--require", NodePeers.script("loopback-preload.cjs").toString(),
						"--require", NodePeers.script("loopback-sync-listen-preload.cjs").toString(), cli.toString()));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		// Colours off: the log is read by people and by serverScenarios()
		builder.environment().put("NO_COLOR", "1");
		builder.environment().putAll(environment);
		return NodeProcesses.start(builder);
	}

	private static void await(Process process, Path log, Duration timeout) {
		try {
			process.getOutputStream().close();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				NodeProcesses.stop(process);
				throw new IllegalStateException("The conformance suite did not finish within " + timeout + " (see "
						+ log + "):\n" + String.join("\n", tail(log)));
			}
		}
		catch (IOException ex) {
			NodeProcesses.stop(process);
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			NodeProcesses.stop(process);
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		// Its exit code only says whether some check failed: the checks themselves are
		// read
	}

	private static Map<String, Path> checksFiles(Path outputDir) {
		Map<String, Path> files = new TreeMap<>();
		if (!Files.isDirectory(outputDir)) {
			return files;
		}
		try (Stream<Path> dirs = Files.list(outputDir)) {
			for (Path dir : dirs.toList()) {
				Matcher matcher = RESULT_DIR.matcher(dir.getFileName().toString());
				Path checks = dir.resolve("checks.json");
				if (matcher.matches() && Files.isRegularFile(checks)) {
					files.put(matcher.group(1), checks);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return files;
	}

	private static Result result(Path checksFile) {
		JsonNode checks;
		try {
			checks = json.readTree(Files.readString(checksFile));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> failures = new ArrayList<>();
		List<String> warnings = new ArrayList<>();
		int successes = 0;
		for (JsonNode check : checks) {
			String status = check.path("status").asString("");
			if ("SUCCESS".equals(status)) {
				successes++;
			}
			String line = check.path("id").asString("?") + ": "
					+ check.path("errorMessage").asString(check.path("description").asString(""));
			if ("FAILURE".equals(status)) {
				failures.add(line);
			}
			else if ("WARNING".equals(status)) {
				warnings.add(line);
			}
		}
		if (!failures.isEmpty()) {
			return new Result(Outcome.FAIL, failures);
		}
		if (successes == 0 && warnings.isEmpty()) {
			// Only INFO, or nothing: the scenario checked nothing it could pass
			return new Result(Outcome.FAIL, List.of("no check succeeded"));
		}
		return warnings.isEmpty() ? new Result(Outcome.PASS, List.of()) : new Result(Outcome.WARN, warnings);
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> tail(Path file) {
		List<String> lines = readLines(file);
		return lines.subList(Math.max(0, lines.size() - 40), lines.size());
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** How a scenario ended. */
	public enum Outcome {

		/** Every check succeeded. */
		PASS,

		/** No check failed, some warned (a SHOULD not met). */
		WARN,

		/** A check failed, or the scenario wrote no result. */
		FAIL;

		/**
		 * The outcome of its lower-case name.
		 * @param name {@code pass}, {@code warn} or {@code fail}
		 * @return the outcome
		 */
		public static Optional<Outcome> of(String name) {
			return Stream.of(values()).filter((outcome) -> outcome.name().equalsIgnoreCase(name)).findFirst();
		}

	}

	/**
	 * The result of one scenario.
	 *
	 * @param outcome how it ended
	 * @param messages what failed (for {@code FAIL}) or warned (for {@code WARN})
	 */
	public record Result(Outcome outcome, List<String> messages) {

	}

}
