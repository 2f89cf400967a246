package dev.atrium.benchmarks.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import dev.atrium.benchmarks.plaingateway.PlainGatewayApplication;
import dev.atrium.benchmarks.upstream.BenchUpstream;

/**
 * Starts the processes of a run, each on loopback, each with its own log in the work
 * directory, and waits until each serves.
 */
final class Launcher {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(300);

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final BenchSettings.Paths paths;

	private final List<String> jvmOptions;

	private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

	Launcher(BenchSettings.Paths paths, List<String> jvmOptions) {
		this.paths = paths;
		this.jvmOptions = jvmOptions;
	}

	/** The upstream MCP server; returns it with the port it listens on. */
	Started upstream() {
		ChildProcess process = ChildProcess.start("upstream",
				javaCommand(this.jvmOptions, BenchUpstream.class.getName(), List.of("0")), this.paths.workDir());
		int port = Integer.parseInt(process.awaitLine(BenchUpstream.LISTENING, START_TIMEOUT));
		return new Started(process, port);
	}

	/** nginx as a plain reverse proxy to the upstream, with keep-alive to it. */
	Started nginx(int upstreamPort) {
		String binary = Nginx.binary();
		Path dir = this.paths.workDir().resolve("nginx");
		int port = freePort();
		try {
			Files.createDirectories(dir.resolve("temp"));
			Files.writeString(dir.resolve("nginx.conf"), Nginx.config(dir, port, upstreamPort));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChildProcess process = ChildProcess.start("nginx", List.of(binary, "-p", dir.toString(), "-c",
				dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString()), this.paths.workDir());
		awaitListening(process, port);
		return new Started(process, port);
	}

	/** A plain Spring Cloud Gateway route with Spring Security's JWT validation. */
	Started plainGateway(int upstreamPort, Issuer issuer) {
		int port = freePort();
		List<String> args = List.of("--server.address=127.0.0.1", "--server.port=" + port,
				"--spring.main.banner-mode=off", "--spring.cloud.gateway.server.webflux.routes[0].id=mcp",
				"--spring.cloud.gateway.server.webflux.routes[0].uri=http://127.0.0.1:" + upstreamPort,
				"--spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/mcp",
				"--bench.jwks-uri=" + issuer.jwksUri(), "--bench.issuer=" + issuer.issuerUri(),
				"--bench.audience=" + Issuer.AUDIENCE);
		ChildProcess process = ChildProcess.start("plain-gateway",
				javaCommand(this.jvmOptions, PlainGatewayApplication.class.getName(), args), this.paths.workDir());
		// Without a token the route answers 401 once the application is up.
		awaitHttp(process, URI.create("http://127.0.0.1:" + port + "/mcp"), (status) -> status == 401);
		return new Started(process, port);
	}

	/**
	 * Atrium's exec jar with the given configuration and nothing else: the jar's own
	 * {@code application.yml} is replaced, so that the run states every setting.
	 */
	AtriumProcess atrium(String name, Map<String, String> properties) {
		return atrium(name, properties, this.jvmOptions);
	}

	/**
	 * Atrium with JVM options of its own, e.g. a deployment's heap for the memory run.
	 */
	AtriumProcess atrium(String name, Map<String, String> properties, List<String> jvmOptions) {
		Path jar = this.paths.gatewayJar();
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("Atrium's exec jar is missing: " + jar
					+ " (build it with ./mvnw -pl benchmarks -am package, or run benchmarks/run.sh)");
		}
		int port = freePort();
		Path config = this.paths.workDir().resolve(name + ".properties");
		try {
			Files.createDirectories(config.getParent());
			Files.writeString(config, AtriumConfig.render(port, properties));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--spring.config.location=file:" + config));
		ChildProcess process = ChildProcess.start(name, command, this.paths.workDir());
		awaitHttp(process, URI.create("http://127.0.0.1:" + port + "/actuator/health"), (status) -> status == 200);
		return new AtriumProcess(process, port);
	}

	private List<String> javaCommand(List<String> options, String mainClass, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(options);
		command.add("-cp");
		command.add(this.paths.classpath());
		command.add(mainClass);
		command.addAll(args);
		return command;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void awaitListening(ChildProcess process, int port) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			checkAlive(process);
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException ex) {
				Pause.millis(50);
			}
		}
		throw new IllegalStateException(process.name() + " does not listen on " + port + ":\n" + process.logText());
	}

	static void awaitHttp(ChildProcess process, URI uri, IntPredicate ready) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		int last = -1;
		while (System.nanoTime() < deadline) {
			checkAlive(process);
			try {
				HttpRequest request = HttpRequest.newBuilder(uri)
					.timeout(Duration.ofSeconds(5))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build();
				if (uri.getPath().startsWith("/actuator")) {
					request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
				}
				last = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (ready.test(last)) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
			Pause.millis(200);
		}
		throw new IllegalStateException(process.name() + " is not ready at " + uri + " (last status " + last
				+ ") after " + START_TIMEOUT + ":\n" + process.logText());
	}

	private static void checkAlive(ChildProcess process) {
		if (!process.isAlive()) {
			throw new IllegalStateException(process.name() + " exited during start:\n" + process.logText());
		}
	}

	/**
	 * The classpath of the JVMs this module starts: its classes and their dependencies.
	 */
	static String classpath(Path classesDir, Path classpathFile) {
		try {
			return classesDir + File.pathSeparator + Files.readString(classpathFile).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Cannot read " + classpathFile + " (written by the build: ./mvnw -pl benchmarks -am package)", ex);
		}
	}

	/** A started process and its port. */
	record Started(ChildProcess process, int port) {

		String url(String path) {
			return "http://127.0.0.1:" + this.port + path;
		}

	}

}
