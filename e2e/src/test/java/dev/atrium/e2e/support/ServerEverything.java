package dev.atrium.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MCP reference server {@code @modelcontextprotocol/server-everything}, run on Node
 * 22 in streamable HTTP mode ({@code PORT=0 node --require loopback-preload.cjs
 * .../dist/index.js streamableHttp}), bound to 127.0.0.1 only, endpoint {@code /mcp}.
 * <p>
 * Two editions are pinned because they cover different ground:
 * <ul>
 * <li>{@link Edition#CURRENT} ({@value NodePeers#SERVER_EVERYTHING_VERSION}): built on
 * the SDK's {@code McpServer}, which never paginates. Tools for a client that declares no
 * capabilities (13): {@code echo} {message}, {@code get-annotated-message},
 * {@code get-env}, {@code get-resource-links}, {@code get-resource-reference},
 * {@code get-structured-content}, {@code get-sum} {a, b}, {@code get-tiny-image},
 * {@code gzip-file-as-resource}, {@code toggle-simulated-logging},
 * {@code toggle-subscriber-updates}, {@code trigger-long-running-operation},
 * {@code simulate-research-query} (a task tool). After {@code initialized} it adds, and
 * announces with {@code notifications/tools/list_changed}, the tools the client's
 * capabilities allow: {@code get-roots-list} (roots), {@code trigger-elicitation-request}
 * (elicitation), {@code trigger-url-elicitation} (elicitation.url),
 * {@code trigger-sampling-request} (sampling), {@code trigger-sampling-request-async} and
 * {@code trigger-elicitation-request-async} (the tasks.requests variants). Resources: 7
 * static documents {@code demo://resource/static/document/<name>.md} (architecture,
 * extension, features, how-it-works, instructions, startup, structure) in ONE page, no
 * {@code nextCursor}. Resource templates (2):
 * {@code demo://resource/dynamic/text/{resourceId}} and
 * {@code demo://resource/dynamic/blob/{resourceId}} (any positive integer). Prompts (4):
 * {@code simple-prompt}, {@code args-prompt} {city, state?}, {@code completable-prompt}
 * {department, name}, {@code resource-prompt} {resourceType Text|Blob, resourceId}. An
 * unknown tool is NOT a JSON-RPC error: the result has {@code isError: true} and the text
 * "MCP error -32602: Tool nope not found"; an unknown resource or prompt is a JSON-RPC
 * error -32602.</li>
 * <li>{@link Edition#LEGACY_PAGINATED}
 * ({@value NodePeers#SERVER_EVERYTHING_LEGACY_VERSION}, the last release before the 2026
 * rewrite): 100 resources {@code test://static/resource/1..100} served in pages of 10 (10
 * pages; the cursor is the base64 of the next offset, {@code "OTA="} = 90), which is what
 * a test needs to see a gateway follow {@code nextCursor} to the end. Tools (11 without
 * client capabilities): {@code echo}, {@code add} {a, b}, {@code longRunningOperation},
 * {@code printEnv}, {@code sampleLLM}, {@code getTinyImage}, {@code annotatedMessage},
 * {@code getResourceReference}, {@code getResourceLinks}, {@code structuredContent},
 * {@code zip} ({@code listRoots}, {@code startElicitation} with the matching
 * capabilities). Template {@code test://static/resource/{id}}; prompts
 * {@code simple_prompt}, {@code complex_prompt} {temperature, style?},
 * {@code resource_prompt} {resourceId}. An unknown tool is a JSON-RPC error -32603
 * "Unknown tool: nope".</li>
 * </ul>
 * Both editions answer every POST with {@code text/event-stream} (never plain JSON),
 * starting with an empty priming event ({@code id: ...}, {@code data: }) because they
 * keep an event store for resumability, and reject a POST whose {@code Accept} lacks
 * either {@code application/json} or {@code text/event-stream} with 406. Sessions are
 * required ({@code Mcp-Session-Id}); a request without one that is not {@code initialize}
 * gets 400.
 * <p>
 * The server listens on all interfaces by its own choice, so the preload
 * {@code loopback-preload.cjs} rewrites every {@code listen()} onto 127.0.0.1 and reports
 * the port it got; starting on port 0 that way leaves no window for another process to
 * take a port chosen in advance. Output goes to {@code target/peers-logs}.
 */
public final class ServerEverything implements AutoCloseable {

	/** How long a start may take before it is given up. */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern LISTENING = Pattern.compile("\\[atrium-loopback] listening 127\\.0\\.0\\.1:(\\d+)");

	private final Edition edition;

	private final Process process;

	private final NodeProcesses.OutputCapture output;

	private final int port;

	private ServerEverything(Edition edition, Process process, NodeProcesses.OutputCapture output, int port) {
		this.edition = edition;
		this.process = process;
		this.output = output;
		this.port = port;
	}

	/**
	 * Start the current edition and wait until it answers.
	 * @return the running server
	 */
	public static ServerEverything start() {
		return start(Edition.CURRENT);
	}

	/**
	 * Start the given edition and wait until it answers.
	 * @param edition which pinned release to run
	 * @return the running server
	 */
	public static ServerEverything start(Edition edition) {
		Path node = NodePeers.node22();
		Path index = NodePeers.packageDir(edition.packageName).resolve("dist").resolve("index.js");
		ProcessBuilder builder = new ProcessBuilder(node.toString(), "--require",
				NodePeers.script("loopback-preload.cjs").toString(), index.toString(), "streamableHttp")
			.directory(NodePeers.peersDir().toFile())
			.redirectErrorStream(true);
		builder.environment().put("PORT", "0");
		Process process = NodeProcesses.start(builder);
		CompletableFuture<Integer> listening = new CompletableFuture<>();
		Path logFile = NodeProcesses.logsDir()
			.resolve("server-everything-" + edition.name().toLowerCase() + "-" + process.pid() + ".log");
		NodeProcesses.OutputCapture output = new NodeProcesses.OutputCapture(process.getInputStream(), logFile,
				"server-everything-" + process.pid(), (line) -> {
					Matcher matcher = LISTENING.matcher(line);
					if (matcher.find()) {
						listening.complete(Integer.valueOf(matcher.group(1)));
					}
				}, () -> listening.completeExceptionally(new IllegalStateException("exited before listening")));
		try {
			int port = awaitPort(listening, process, output);
			ServerEverything server = new ServerEverything(edition, process, output, port);
			server.awaitAnswer();
			return server;
		}
		catch (RuntimeException ex) {
			NodeProcesses.stop(process);
			throw ex;
		}
	}

	private static int awaitPort(CompletableFuture<Integer> listening, Process process,
			NodeProcesses.OutputCapture output) {
		try {
			return listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			output.awaitEnd();
			throw new IllegalStateException(
					"server-everything exited before listening (" + exitOf(process) + "), output:\n" + output.tail(),
					ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(
					"server-everything did not listen within " + START_TIMEOUT + ", output:\n" + output.tail(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting server-everything", ex);
		}
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

	/**
	 * The socket accepts once the preload reported it, but the first request is what
	 * proves the HTTP stack answers: a GET without a session must be rejected with 400.
	 */
	private void awaitAnswer() {
		try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
			HttpRequest probe = HttpRequest.newBuilder(URI.create(mcpUrl()))
				.timeout(Duration.ofSeconds(10))
				.GET()
				.build();
			HttpResponse<String> response = client.send(probe, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 400) {
				throw new IllegalStateException("server-everything answered GET " + mcpUrl() + " with "
						+ response.statusCode() + " " + response.body() + ", output:\n" + output());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"server-everything does not answer on " + mcpUrl() + ", output:\n" + output(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while probing server-everything", ex);
		}
	}

	/**
	 * The streamable HTTP endpoint.
	 * @return for example {@code http://127.0.0.1:41234/mcp}
	 */
	public String mcpUrl() {
		return "http://127.0.0.1:" + this.port + "/mcp";
	}

	/**
	 * The loopback port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Which pinned release runs.
	 * @return the edition
	 */
	public Edition edition() {
		return this.edition;
	}

	/**
	 * The process id of the Node process, for checks such as {@code ss -ltnp}.
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Whether the Node process still runs.
	 * @return {@code true} while alive
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * The last lines the server printed (stdout and stderr together).
	 * @return up to 200 lines
	 */
	public String output() {
		return this.output.tail();
	}

	/**
	 * The file holding everything the server printed.
	 * @return the log file under {@code target/peers-logs}
	 */
	public Path logFile() {
		return this.output.logFile();
	}

	/**
	 * Stop the server and everything it started, and wait until they are gone.
	 */
	@Override
	public void close() {
		NodeProcesses.stop(this.process);
		this.output.awaitEnd();
	}

	@Override
	public String toString() {
		return "server-everything " + this.edition.version + " on " + mcpUrl();
	}

	/**
	 * The pinned releases of the reference server.
	 */
	public enum Edition {

		/** The pinned current release; no pagination. */
		CURRENT("@modelcontextprotocol/server-everything", NodePeers.SERVER_EVERYTHING_VERSION),

		/** The last pre-2026 release; resources paginated by 10. */
		LEGACY_PAGINATED(NodePeers.SERVER_EVERYTHING_LEGACY_ALIAS, NodePeers.SERVER_EVERYTHING_LEGACY_VERSION);

		private final String packageName;

		private final String version;

		Edition(String packageName, String version) {
			this.packageName = packageName;
			this.version = version;
		}

		/**
		 * The pinned npm version.
		 * @return the version
		 */
		public String version() {
			return this.version;
		}

	}

}
