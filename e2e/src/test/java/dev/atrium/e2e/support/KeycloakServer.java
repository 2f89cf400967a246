package dev.atrium.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Keycloak ({@value #VERSION}, the Maven Central distribution
 * {@code org.keycloak:keycloak-quarkus-dist}) with the Atrium realm
 * ({@code deploy/keycloak/atrium-realm.json}) imported, bound to 127.0.0.1 only.
 * <p>
 * {@link #shared()} starts one per JVM for all test classes (a start takes 40 to 70 s on
 * two busy cores, two thirds of it creating the database schema and the realms); the
 * shared instance is stopped by a shutdown hook. {@link #start(String)} starts a private
 * one that the caller closes.
 * <p>
 * The distribution is unpacked by Maven (maven-dependency-plugin, {@code unpack}) into
 * the folder named by the system property {@code atrium.e2e.keycloak-home}, by default
 * {@code <user.dir>/.peers/keycloak-}{@value #VERSION}. It is used read-only but for one
 * step: the first use runs {@code kc.sh build} once (about 40 s) with the build options
 * below, under a file lock, so that every later start is {@code start --optimized} and
 * skips Quarkus' re-augmentation. {@code start-dev} is not used: it re-augments on every
 * start (about 30 s more each time) and rewrites the shared distribution while doing so.
 * <p>
 * Each instance gets its own Keycloak home in a temporary folder ({@code -Dkc.home.dir};
 * {@code lib} is a symbolic link to the distribution's): the H2 database
 * ({@code dev-file}), the transaction logs and the realm to import live there and are
 * deleted on {@link #close()}. Startup options: {@code --http-host=127.0.0.1},
 * {@code --http-port=0} (the port is read from Keycloak's "Listening on" line, so no port
 * is chosen in advance), {@code --hostname-strict=false} (the issuer is taken from the
 * request: always use {@link #baseUrl()}, never {@code localhost}), {@code --cache=local}
 * (no JGroups cluster), health and metrics disabled so that the management interface
 * (port 9000 by default) is never opened. The process runs on the JDK named by
 * {@code atrium.e2e.keycloak-java-home}, by default the one running the tests, with
 * {@code -Xms64m -Xmx512m -XX:TieredStopAtLevel=1}
 * ({@code atrium.e2e.keycloak-java-options} replaces the last one): on two cores C2
 * compilation competes with startup and gains nothing in a short test run; without it a
 * start costs about 40% more CPU. Output goes to {@code target/peers-logs}.
 * <p>
 * The gateway audience that the realm's {@code mcp:*} and {@code gateway:admin} scopes
 * put into access tokens comes from the environment variable {@value #AUDIENCE_VARIABLE}
 * at import; {@link #setGatewayAudience(String, String)} changes it later through the
 * admin API, for a gateway started after Keycloak on a port not known before.
 */
public final class KeycloakServer implements AutoCloseable {

	/** The pinned Keycloak version, the one the e2e pom unpacks. */
	public static final String VERSION = "26.7.3";

	/** The realm of the internal scenario, as named in {@code atrium-realm.json}. */
	public static final String REALM = "atrium";

	/** A user of the realm with the {@code atrium-user} role. */
	public static final String DEV_USER = "dev";

	/**
	 * The password of {@link #DEV_USER} (the realm's default for ATRIUM_DEV_PASSWORD).
	 */
	public static final String DEV_PASSWORD = "dev-password";

	/** A user of the realm with the {@code atrium-admin} role too. */
	public static final String OPS_USER = "ops";

	/**
	 * The password of {@link #OPS_USER} (the realm's default for ATRIUM_OPS_PASSWORD).
	 */
	public static final String OPS_PASSWORD = "ops-password";

	/** The environment variable the realm file reads the gateway audience from. */
	public static final String AUDIENCE_VARIABLE = "ATRIUM_GATEWAY_AUDIENCE";

	/** The audience used when none is given: the gateway's default internal endpoint. */
	public static final String DEFAULT_AUDIENCE = "http://127.0.0.1:8080/internal/mcp";

	/**
	 * Build-time options baked in by {@code kc.sh build}; a start with
	 * {@code --optimized} must not contradict them.
	 */
	static final Map<String, String> BUILD_OPTIONS = Map.of("db", "dev-file", "health-enabled", "false",
			"metrics-enabled", "false");

	/**
	 * JVM options added to kc.sh's defaults unless
	 * {@code atrium.e2e.keycloak-java-options} says otherwise.
	 */
	static final String DEFAULT_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1";

	private static final String ADMIN_USER = "atrium-e2e-admin";

	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

	private static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

	private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final System.Logger logger = System.getLogger(KeycloakServer.class.getName());

	private static KeycloakServer shared;

	private static RuntimeException sharedFailure;

	private final Process process;

	private final NodeProcesses.OutputCapture output;

	private final Path runHome;

	private final int port;

	private final String adminPassword;

	private final Duration startup;

	private final HttpClient http;

	private KeycloakServer(Process process, NodeProcesses.OutputCapture output, Path runHome, int port,
			String adminPassword, Duration startup) {
		this.process = process;
		this.output = output;
		this.runHome = runHome;
		this.port = port;
		this.adminPassword = adminPassword;
		this.startup = startup;
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * The Keycloak shared by every test of this JVM, started on first use with the
	 * audience from the system property {@code atrium.e2e.keycloak-gateway-audience}
	 * (default {@value #DEFAULT_AUDIENCE}). Tests must not close it; a JVM shutdown hook
	 * does. If it was closed anyway, the next call starts a new one.
	 * @return the running server
	 */
	public static synchronized KeycloakServer shared() {
		if (shared != null && shared.isAlive()) {
			return shared;
		}
		// A failed start is not retried by every later test class: each try takes
		// minutes with the same outcome
		if (sharedFailure != null) {
			throw new IllegalStateException("Starting Keycloak failed earlier in this JVM", sharedFailure);
		}
		try {
			KeycloakServer server = start(System.getProperty("atrium.e2e.keycloak-gateway-audience", DEFAULT_AUDIENCE));
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "atrium-keycloak-reaper"));
			shared = server;
			return server;
		}
		catch (RuntimeException ex) {
			sharedFailure = ex;
			throw ex;
		}
	}

	/**
	 * Start a Keycloak of its own, with the Atrium realm imported, and wait until the
	 * realm answers. The caller closes it.
	 * @param gatewayAudience the audience the realm's gateway scopes put into access
	 * tokens, for example {@code http://127.0.0.1:41234/internal/mcp}
	 * @return the running server
	 */
	public static KeycloakServer start(String gatewayAudience) {
		Path home = distribution();
		Path javaHome = javaHome();
		ensureBuilt(home, javaHome);
		long started = System.nanoTime();
		Path runHome = createRunHome(home);
		String adminPassword = randomSecret();
		ProcessBuilder builder = new ProcessBuilder(home.resolve("bin").resolve("kc.sh").toString(),
				"-Dkc.home.dir=" + runHome, "start", "--optimized", "--import-realm", "--http-enabled=true",
				"--http-host=127.0.0.1", "--http-port=0", "--hostname-strict=false", "--cache=local")
			.directory(runHome.toFile())
			.redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		cleanEnvironment(environment, javaHome);
		environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
		environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
		environment.put(AUDIENCE_VARIABLE, gatewayAudience);
		Process process;
		try {
			process = NodeProcesses.start(builder);
		}
		catch (RuntimeException ex) {
			deleteRecursively(runHome);
			throw ex;
		}
		// Keycloak never reads stdin; a closed one makes sure nothing waits on it
		closeQuietly(process);
		CompletableFuture<Integer> listening = new CompletableFuture<>();
		Path logFile = NodeProcesses.logsDir().resolve("keycloak-" + process.pid() + ".log");
		NodeProcesses.OutputCapture output = new NodeProcesses.OutputCapture(process.getInputStream(), logFile,
				"keycloak-" + process.pid(), (line) -> {
					Matcher matcher = LISTENING.matcher(line);
					if (matcher.find()) {
						listening.complete(Integer.valueOf(matcher.group(1)));
					}
				}, () -> listening.completeExceptionally(new IllegalStateException("exited before listening")));
		try {
			int port = awaitPort(listening, process, output, startTimeout());
			Duration startup = Duration.ofNanos(System.nanoTime() - started);
			KeycloakServer server = new KeycloakServer(process, output, runHome, port, adminPassword, startup);
			server.awaitRealm(REALM);
			logger.log(System.Logger.Level.INFO,
					() -> "Keycloak " + VERSION + " ready on " + server.baseUrl() + " in " + startup.toMillis()
							+ " ms (Keycloak says " + server.reportedStartup() + ", CPU " + cpuTime(process).toMillis()
							+ " ms), log " + logFile);
			return server;
		}
		catch (RuntimeException ex) {
			NodeProcesses.stop(process);
			output.awaitEnd();
			deleteRecursively(runHome);
			throw ex;
		}
	}

	/**
	 * The unpacked distribution: {@code atrium.e2e.keycloak-home}, by default
	 * {@code <user.dir>/.peers/keycloak-<version>}.
	 * @return the folder holding {@code bin/kc.sh}
	 */
	public static Path distribution() {
		String configured = System.getProperty("atrium.e2e.keycloak-home");
		Path home = (configured != null) ? Path.of(configured).toAbsolutePath()
				: Path.of(System.getProperty("user.dir"), ".peers", "keycloak-" + VERSION);
		if (!Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))
				|| !Files.isDirectory(home.resolve("lib").resolve("quarkus"))) {
			throw new IllegalStateException("No Keycloak distribution in " + home
					+ ": the e2e build unpacks it before the tests (./mvnw -pl e2e verify, or just"
					+ " ./mvnw -pl e2e dependency:unpack@unpack-keycloak); or set atrium.e2e.keycloak-home");
		}
		return home;
	}

	/**
	 * The realm file imported at start: {@code atrium.e2e.keycloak-realm-file}, by
	 * default {@code <user.dir>/../deploy/keycloak/atrium-realm.json} (the e2e module
	 * runs in {@code e2e/}).
	 * @return the realm file
	 */
	public static Path realmFile() {
		String configured = System.getProperty("atrium.e2e.keycloak-realm-file");
		Path file = (configured != null) ? Path.of(configured).toAbsolutePath()
				: Path.of(System.getProperty("user.dir"))
					.resolveSibling("deploy")
					.resolve("keycloak")
					.resolve("atrium-realm.json");
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException("No realm file " + file + "; set atrium.e2e.keycloak-realm-file");
		}
		return file;
	}

	/**
	 * The root URL, without a trailing slash.
	 * @return for example {@code http://127.0.0.1:41234}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * The issuer of a realm, as it appears in {@code iss}.
	 * @param realm the realm name
	 * @return for example {@code http://127.0.0.1:41234/realms/atrium}
	 */
	public String issuer(String realm) {
		return baseUrl() + "/realms/" + realm;
	}

	/**
	 * The issuer of the Atrium realm.
	 * @return for example {@code http://127.0.0.1:41234/realms/atrium}
	 */
	public String issuer() {
		return issuer(REALM);
	}

	/**
	 * The loopback port Keycloak listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * A fresh access token of the bootstrap administrator of the master realm, for the
	 * admin REST API ({@code /admin/realms/...}); it lives 60 s.
	 * @return the access token
	 */
	public String adminToken() {
		String form = "grant_type=password&client_id=admin-cli&username=" + encode(ADMIN_USER) + "&password="
				+ encode(this.adminPassword);
		HttpRequest request = HttpRequest.newBuilder(URI.create(issuer("master") + "/protocol/openid-connect/token"))
			.timeout(HTTP_TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		HttpResponse<String> response = send(request);
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Admin login failed: " + describe(response));
		}
		return json.readTree(response.body()).path("access_token").asString();
	}

	/**
	 * Call the admin REST API.
	 * @param method the HTTP method
	 * @param path the path below {@code /admin/realms/}, for example
	 * {@code atrium/clients?clientId=x}
	 * @param body a JSON body, or {@code null}
	 * @return the response; its status is not checked
	 */
	public HttpResponse<String> admin(String method, String path, JsonNode body) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + path))
			.timeout(HTTP_TIMEOUT)
			.header("Authorization", "Bearer " + adminToken())
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))
							: HttpRequest.BodyPublishers.noBody())
			.build();
		return send(request);
	}

	/**
	 * Read a client of a realm by its {@code client_id}, through the admin API.
	 * @param realm the realm
	 * @param clientId the OAuth client id
	 * @return Keycloak's client representation
	 */
	public JsonNode client(String realm, String clientId) {
		HttpResponse<String> response = admin("GET", realm + "/clients?clientId=" + encode(clientId), null);
		JsonNode clients = json.readTree(response.body());
		if (response.statusCode() != 200 || clients.size() != 1) {
			throw new IllegalStateException("No client " + clientId + " in realm " + realm + ": " + describe(response));
		}
		return clients.get(0);
	}

	/**
	 * Change the audience that the realm's gateway scopes ({@code mcp:*},
	 * {@code gateway:admin}) put into access tokens, in every audience mapper that has a
	 * custom audience. Tokens issued afterwards carry the new audience.
	 * @param realm the realm
	 * @param audience the gateway's resource URI, for example
	 * {@code http://127.0.0.1:41234/internal/mcp}
	 * @return how many mappers were changed
	 */
	public int setGatewayAudience(String realm, String audience) {
		HttpResponse<String> scopes = admin("GET", realm + "/client-scopes", null);
		if (scopes.statusCode() != 200) {
			throw new IllegalStateException("Cannot list client scopes: " + describe(scopes));
		}
		int changed = 0;
		for (JsonNode scope : json.readTree(scopes.body())) {
			for (JsonNode mapper : scope.path("protocolMappers")) {
				if ("oidc-audience-mapper".equals(mapper.path("protocolMapper").asString())
						&& mapper.path("config").hasNonNull("included.custom.audience")) {
					ObjectNode updated = (ObjectNode) mapper.deepCopy();
					((ObjectNode) updated.get("config")).put("included.custom.audience", audience);
					HttpResponse<String> response = admin("PUT", realm + "/client-scopes/" + scope.path("id").asString()
							+ "/protocol-mappers/models/" + mapper.path("id").asString(), updated);
					if (response.statusCode() != 204) {
						throw new IllegalStateException("Cannot update the audience mapper of "
								+ scope.path("name").asString() + ": " + describe(response));
					}
					changed++;
				}
			}
		}
		if (changed == 0) {
			throw new IllegalStateException("No audience mapper with a custom audience in realm " + realm);
		}
		return changed;
	}

	/**
	 * How long the start took, from launching {@code kc.sh} to the "Listening on" line
	 * (excluding a first {@code kc.sh build}).
	 * @return the wall-clock startup time
	 */
	public Duration startupTime() {
		return this.startup;
	}

	/**
	 * The startup time Keycloak itself reports ("started in 24.283s").
	 * @return the reported time, or "unknown"
	 */
	public String reportedStartup() {
		Matcher matcher = STARTED_IN.matcher(output());
		String last = "unknown";
		while (matcher.find()) {
			last = matcher.group(1) + " s";
		}
		return last;
	}

	/**
	 * Whether the Keycloak process still runs.
	 * @return {@code true} while alive
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The process id of {@code kc.sh}, whose child is the Keycloak JVM.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * The last lines Keycloak printed (stdout and stderr together).
	 * @return up to 200 lines
	 */
	public String output() {
		return this.output.tail();
	}

	/**
	 * The file holding everything Keycloak printed.
	 * @return the log file under {@code target/peers-logs}
	 */
	public Path logFile() {
		return this.output.logFile();
	}

	/**
	 * Stop Keycloak and its JVM, wait until they are gone and delete the instance's home
	 * (database included). Safe to call more than once.
	 */
	@Override
	public void close() {
		NodeProcesses.stop(this.process);
		this.output.awaitEnd();
		this.http.close();
		deleteRecursively(this.runHome);
	}

	@Override
	public String toString() {
		return "Keycloak " + VERSION + " on " + baseUrl();
	}

	/**
	 * The "Listening on" line is printed once the bootstrap (database schema, master
	 * realm, realm import) is done; the discovery document proves the realm answers.
	 */
	private void awaitRealm(String realm) {
		URI discovery = URI.create(issuer(realm) + "/.well-known/openid-configuration");
		HttpResponse<String> response = send(HttpRequest.newBuilder(discovery).timeout(HTTP_TIMEOUT).GET().build());
		if (response.statusCode() != 200
				|| !issuer(realm).equals(json.readTree(response.body()).path("issuer").asString())) {
			throw new IllegalStateException("Realm " + realm + " is not served at " + discovery + ": "
					+ describe(response) + "\nKeycloak output:\n" + output());
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Keycloak does not answer " + request.method() + " " + request.uri() + "; its output:\n" + output(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while calling Keycloak", ex);
		}
	}

	private static int awaitPort(CompletableFuture<Integer> listening, Process process,
			NodeProcesses.OutputCapture output, Duration timeout) {
		try {
			return listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			output.awaitEnd();
			throw new IllegalStateException(
					"Keycloak exited before listening (" + exitOf(process) + "), output:\n" + output.tail(), ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Keycloak did not listen within " + timeout + " (raise"
					+ " atrium.e2e.keycloak-start-timeout-seconds on a slow machine), output:\n" + output.tail(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting Keycloak", ex);
		}
	}

	/**
	 * Run {@code kc.sh build} once per distribution unless its persisted build options
	 * already match; a file lock keeps parallel JVMs from building at the same time.
	 */
	static void ensureBuilt(Path home, Path javaHome) {
		if (isBuilt(home)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(home.resolve(".atrium-build.lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
			if (isBuilt(home)) {
				return;
			}
			long started = System.nanoTime();
			List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve("kc.sh").toString(), "build"));
			BUILD_OPTIONS.forEach((name, value) -> command.add("--" + name + "=" + value));
			ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
			cleanEnvironment(builder.environment(), javaHome);
			Path log = NodeProcesses.logsDir().resolve("keycloak-build.log");
			builder.redirectOutput(log.toFile());
			Process process = NodeProcesses.start(builder);
			closeQuietly(process);
			if (!process.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				NodeProcesses.stop(process);
				throw new IllegalStateException("kc.sh build timed out after " + BUILD_TIMEOUT + ":\n" + tail(log));
			}
			if (process.exitValue() != 0 || !isBuilt(home)) {
				throw new IllegalStateException(
						"kc.sh build failed (exit " + process.exitValue() + ") in " + home + ":\n" + tail(log));
			}
			long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
			logger.log(System.Logger.Level.INFO, () -> "Built Keycloak " + VERSION + " in " + home + " with "
					+ BUILD_OPTIONS + " in " + millis + " ms");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not build Keycloak in " + home, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while building Keycloak", ex);
		}
	}

	/**
	 * Whether the build options persisted by the last {@code kc.sh build} are ours, in
	 * the production profile. A distribution fresh from the zip has none; one that ran
	 * {@code start-dev} has the dev profile.
	 */
	static boolean isBuilt(Path home) {
		Path jar = home.resolve("lib").resolve("quarkus").resolve("generated-bytecode.jar");
		if (!Files.isRegularFile(jar)) {
			return false;
		}
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			ZipEntry entry = zip.getEntry("META-INF/keycloak-persisted.properties");
			if (entry == null) {
				return false;
			}
			Properties persisted = new Properties();
			try (InputStream in = zip.getInputStream(entry)) {
				persisted.load(in);
			}
			return "prod".equals(persisted.getProperty("kc.profile")) && BUILD_OPTIONS.entrySet()
				.stream()
				.allMatch((option) -> option.getValue().equals(persisted.getProperty("kc." + option.getKey())));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Path createRunHome(Path home) {
		try {
			Path runHome = Files.createTempDirectory("atrium-keycloak-");
			Files.createSymbolicLink(runHome.resolve("lib"), home.resolve("lib"));
			Files.createDirectories(runHome.resolve("providers"));
			Path imports = Files.createDirectories(runHome.resolve("data").resolve("import"));
			Files.copy(realmFile(), imports.resolve("atrium-realm.json"), StandardCopyOption.REPLACE_EXISTING);
			return runHome;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare a Keycloak home", ex);
		}
	}

	/**
	 * Keycloak reads any {@code KC_*} and {@code QUARKUS_*} variable, and kc.sh the
	 * {@code JAVA_OPTS*} ones: a developer's shell must not change what the tests run.
	 */
	private static void cleanEnvironment(Map<String, String> environment, Path javaHome) {
		environment.keySet()
			.removeIf((name) -> name.startsWith("KC_") || name.startsWith("QUARKUS_") || name.startsWith("JAVA_OPTS")
					|| name.equals("JAVA_ADD_OPENS") || name.equals("JAVA") || name.equals("JDK_JAVA_OPTIONS")
					|| name.equals("JAVA_TOOL_OPTIONS") || name.equals("DEBUG") || name.startsWith("ATRIUM_"));
		environment.put("JAVA_HOME", javaHome.toString());
		environment.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
		String options = System.getProperty("atrium.e2e.keycloak-java-options", DEFAULT_JAVA_OPTIONS);
		if (!options.isBlank()) {
			environment.put("JAVA_OPTS_APPEND", options);
		}
	}

	private static Path javaHome() {
		Path javaHome = Path.of(System.getProperty("atrium.e2e.keycloak-java-home", System.getProperty("java.home")));
		if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
			throw new IllegalStateException(
					"No java in " + javaHome + "; set atrium.e2e.keycloak-java-home to a JDK 21 or newer");
		}
		return javaHome;
	}

	/**
	 * CPU time of kc.sh and the Keycloak JVM: unlike wall-clock time it does not depend
	 * on what else runs on the machine.
	 */
	private static Duration cpuTime(Process process) {
		return Stream.concat(Stream.of(process.toHandle()), process.descendants())
			.map((handle) -> handle.info().totalCpuDuration().orElse(Duration.ZERO))
			.reduce(Duration.ZERO, Duration::plus);
	}

	private static Duration startTimeout() {
		return Duration
			.ofSeconds(Long.getLong("atrium.e2e.keycloak-start-timeout-seconds", DEFAULT_START_TIMEOUT.toSeconds()));
	}

	private static String exitOf(Process process) {
		try {
			// the output ends a moment before the process is reaped
			return process.waitFor(NodeProcesses.GRACE.toMillis(), TimeUnit.MILLISECONDS)
					? "exit " + process.exitValue() : "still running";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static void closeQuietly(Process process) {
		try {
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			// nothing reads it anyway
		}
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		// Files.walk does not follow symbolic links: lib/ (the distribution's) stays
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			logger.log(System.Logger.Level.WARNING, () -> "Could not delete " + dir, ex);
		}
	}

	private static String randomSecret() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String describe(HttpResponse<String> response) {
		String body = response.body();
		return response.statusCode() + " " + ((body.length() > 500) ? body.substring(0, 500) + "..." : body);
	}

}
