package dev.atrium.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Process plumbing shared by the Node peers: output capture, process-tree shutdown and a
 * JVM shutdown hook that stops whatever a test forgot to close.
 */
final class NodeProcesses {

	/** How long a process gets to exit after SIGTERM before it is killed. */
	static final Duration GRACE = Duration.ofSeconds(5);

	private static final int TAIL_LINES = 200;

	private static final Set<Process> live = ConcurrentHashMap.newKeySet();

	static {
		// Safety net only: tests are expected to close what they start
		Runtime.getRuntime()
			.addShutdownHook(
					new Thread(() -> List.copyOf(live).forEach(NodeProcesses::stop), "atrium-node-peers-reaper"));
	}

	private NodeProcesses() {
	}

	/**
	 * Start a process and register it for the shutdown hook.
	 * @param builder the configured builder
	 * @return the started process
	 */
	static Process start(ProcessBuilder builder) {
		try {
			Process process = builder.start();
			live.add(process);
			process.onExit().thenRun(() -> live.remove(process));
			return process;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + builder.command(), ex);
		}
	}

	/**
	 * Stop a process and all of its descendants, politely first (SIGTERM), then forcibly,
	 * and wait until they are gone.
	 * @param process the process to stop
	 */
	static void stop(Process process) {
		// Collect the descendants first: once the parent is gone they are re-parented and
		// can no longer be found from it
		List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
		tree.add(process.toHandle());
		tree.forEach(ProcessHandle::destroy);
		for (ProcessHandle handle : tree) {
			awaitExit(handle);
		}
		live.remove(process);
	}

	private static void awaitExit(ProcessHandle handle) {
		try {
			handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
			return;
		}
		catch (TimeoutException | ExecutionException ex) {
			// fall through to the forcible kill
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		handle.destroyForcibly();
		try {
			handle.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			throw new IllegalStateException("Process " + handle.pid() + " did not exit after SIGKILL", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The directory for peer logs: {@code atrium.e2e.logs-dir}, by default
	 * {@code <user.dir>/target/peers-logs}.
	 * @return the existing directory
	 */
	static Path logsDir() {
		Path dir = Path.of(System.getProperty("atrium.e2e.logs-dir",
				Path.of(System.getProperty("user.dir"), "target", "peers-logs").toString()));
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create " + dir, ex);
		}
	}

	/**
	 * Drains a stream on a daemon thread into a log file and a bounded in-memory tail, so
	 * the child never blocks on a full pipe and failures can show what it said.
	 */
	static final class OutputCapture {

		private final Deque<String> tail = new ArrayDeque<>();

		private final Path logFile;

		private final Thread thread;

		OutputCapture(InputStream stream, Path logFile, String name, Consumer<String> lineListener,
				Runnable endListener) {
			this.logFile = logFile;
			this.thread = Thread.ofPlatform().daemon().name(name).start(() -> {
				try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
						Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
					String line;
					while ((line = reader.readLine()) != null) {
						log.write(line);
						log.write('\n');
						log.flush();
						remember(line);
						lineListener.accept(line);
					}
				}
				catch (IOException ex) {
					remember("[output capture failed: " + ex + "]");
				}
				finally {
					endListener.run();
				}
			});
		}

		private synchronized void remember(String line) {
			if (this.tail.size() == TAIL_LINES) {
				this.tail.removeFirst();
			}
			this.tail.addLast(line);
		}

		/**
		 * The last lines of output.
		 * @return up to 200 lines, joined with newlines
		 */
		synchronized String tail() {
			return String.join("\n", this.tail);
		}

		Path logFile() {
			return this.logFile;
		}

		/**
		 * Wait (bounded) until the stream has been read to its end, so that
		 * {@link #tail()} is complete after the process exited.
		 */
		void awaitEnd() {
			try {
				this.thread.join(GRACE);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
