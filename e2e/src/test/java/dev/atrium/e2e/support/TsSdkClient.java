package dev.atrium.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official TypeScript MCP client ({@code @modelcontextprotocol/sdk} {@code Client}
 * over {@code StreamableHTTPClientTransport}) as a test peer: each {@code run} starts
 * {@code src/test/node/ts-client.mjs} on Node 22, which connects, runs the given steps in
 * order, closes, and prints one JSON document.
 * <p>
 * Steps are maps with an {@code op}: {@code listTools}, {@code listResources},
 * {@code listResourceTemplates}, {@code listPrompts} (every page is followed; the result
 * is {@code {"pages": n, "items": [...], "pageSizes": [...]}}, an optional {@code cursor}
 * starts elsewhere and {@code maxPages} caps the walk, default 1000), {@code callTool}
 * {@code {name, arguments}}, {@code readResource} {@code {uri}}, {@code getPrompt}
 * {@code {name, arguments}}, {@code ping}, and {@code terminate} (DELETE of the session).
 * <p>
 * The document: {@code protocolVersion}, {@code serverInfo}, {@code serverCapabilities},
 * {@code instructions}, {@code sessionId} and {@code steps}, one entry per step, either
 * {@code {"op", "result"}} or {@code {"op", "error": {"code", "message", "data",
 * "name"}}}: a failing step does not stop the run. {@code code} is the JSON-RPC code for
 * an {@code McpError} and the HTTP status for a {@code StreamableHTTPError}. When
 * initialization itself fails the document is {@code {"connectError": {...}}} instead, so
 * tests can assert on refused connections; use {@link #connected(JsonNode)} where a
 * connection is expected.
 */
public final class TsSdkClient {

	/** How long one run may take unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper json = JsonMapper.builder().build();

	private TsSdkClient() {
	}

	/**
	 * Run steps against an MCP endpoint.
	 * @param url the streamable HTTP endpoint, for example
	 * {@code http://127.0.0.1:8080/mcp}
	 * @param steps the operations, in order
	 * @return the result document
	 */
	public static JsonNode run(String url, List<Map<String, Object>> steps) {
		return run(url, Map.of(), steps, DEFAULT_TIMEOUT);
	}

	/**
	 * Run steps against an MCP endpoint, sending extra headers on every HTTP request.
	 * @param url the streamable HTTP endpoint
	 * @param headers extra headers, for example {@code Authorization}
	 * @param steps the operations, in order
	 * @return the result document
	 */
	public static JsonNode run(String url, Map<String, String> headers, List<Map<String, Object>> steps) {
		return run(url, headers, steps, DEFAULT_TIMEOUT);
	}

	/**
	 * Run steps against an MCP endpoint, sending extra headers on every HTTP request.
	 * @param url the streamable HTTP endpoint
	 * @param headers extra headers, for example {@code Authorization}
	 * @param steps the operations, in order
	 * @param timeout how long the whole run may take
	 * @return the result document
	 */
	public static JsonNode run(String url, Map<String, String> headers, List<Map<String, Object>> steps,
			Duration timeout) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("url", url);
		input.put("headers", headers);
		input.put("steps", steps);
		return run(input, timeout);
	}

	/**
	 * Run the client with a complete input document, for what the other overloads do not
	 * cover: {@code clientInfo} and client {@code capabilities}.
	 * @param input the document {@code ts-client.mjs} reads: {@code url}, {@code steps}
	 * and optionally {@code headers}, {@code clientInfo}, {@code capabilities}
	 * @param timeout how long the whole run may take
	 * @return the result document
	 */
	public static JsonNode run(Map<String, Object> input, Duration timeout) {
		Path script = NodePeers.script("ts-client.mjs");
		ProcessBuilder builder = new ProcessBuilder(NodePeers.node22().toString(), script.toString())
			.directory(NodePeers.peersDir().toFile());
		Process process = NodeProcesses.start(builder);
		// Both streams are drained at once: a child blocks when either pipe is full
		CompletableFuture<String> stdout = readAll(process.getInputStream());
		CompletableFuture<String> stderr = readAll(process.getErrorStream());
		try {
			// stdin, not an argument: big tool arguments exceed the argv size limit
			try (OutputStream stdin = process.getOutputStream()) {
				stdin.write(json.writeValueAsBytes(input));
			}
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				NodeProcesses.stop(process);
				throw new IllegalStateException("ts-client timed out after " + timeout + " against " + input.get("url")
						+ ", stderr:\n" + drained(stderr));
			}
			String out = drained(stdout);
			if (process.exitValue() != 0) {
				throw new IllegalStateException("ts-client failed (exit " + process.exitValue() + ") against "
						+ input.get("url") + ", stderr:\n" + drained(stderr) + "\nstdout:\n" + out);
			}
			try {
				return json.readTree(out);
			}
			catch (JacksonException ex) {
				throw new IllegalStateException(
						"ts-client printed no JSON document:\n" + out + "\nstderr:\n" + drained(stderr), ex);
			}
		}
		catch (IOException ex) {
			NodeProcesses.stop(process);
			throw new UncheckedIOException("Could not talk to ts-client, stderr:\n" + drained(stderr), ex);
		}
		catch (InterruptedException ex) {
			NodeProcesses.stop(process);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running ts-client", ex);
		}
	}

	/**
	 * Assert that a document is from a run that connected, and return it.
	 * @param result a document from {@code run}
	 * @return the same document
	 * @throws IllegalStateException with the connect error if the client did not connect
	 */
	public static JsonNode connected(JsonNode result) {
		if (result.has("connectError")) {
			throw new IllegalStateException("ts-client could not connect: " + result.get("connectError"));
		}
		return result;
	}

	/**
	 * A step, for readable test code: {@code step("callTool", "name", "echo")}.
	 * @param op the operation
	 * @param keysAndValues alternating keys and values
	 * @return the step
	 */
	public static Map<String, Object> step(String op, Object... keysAndValues) {
		if (keysAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("Keys and values must come in pairs");
		}
		Map<String, Object> step = new LinkedHashMap<>();
		step.put("op", op);
		for (int i = 0; i < keysAndValues.length; i += 2) {
			step.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return step;
	}

	private static CompletableFuture<String> readAll(InputStream stream) {
		CompletableFuture<String> result = new CompletableFuture<>();
		Thread.ofPlatform().daemon().name("ts-client-output").start(() -> {
			try (stream) {
				result.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				result.complete("[could not read: " + ex + "]");
			}
		});
		return result;
	}

	private static String drained(CompletableFuture<String> output) {
		try {
			return output.get(NodeProcesses.GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			return "[output not available: " + ex + "]";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "[interrupted]";
		}
	}

}
