package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the harness started (the upstream, nginx, a gateway), its output in a log
 * file of the work directory. Every one is stopped by {@link #close()}, and by a shutdown
 * hook if the harness ends first, so that no benchmark leaves a process behind.
 */
public final class ChildProcess implements AutoCloseable {

	private static final Set<ChildProcess> running = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(ChildProcess::close)));
	}

	private final String name;

	private final Process process;

	private final Path log;

	private ChildProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts a process whose standard output and error go to {@code <name>.log} in the
	 * work directory. Its standard input stays a pipe the harness never writes to: a
	 * child that watches it ends with the harness, even a killed one.
	 */
	public static ChildProcess start(String name, List<String> command, Path workDir) {
		try {
			Files.createDirectories(workDir);
			Path log = workDir.resolve(name + ".log");
			Process process = new ProcessBuilder(command).directory(workDir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			ChildProcess child = new ChildProcess(name, process, log);
			running.add(child);
			return child;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + name + ": " + command, ex);
		}
	}

	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The log so far, for error messages. */
	public String logText() {
		try {
			String text = Files.readString(this.log);
			return (text.length() <= 4000) ? text : "..." + text.substring(text.length() - 4000);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Waits until the log holds a line starting with the prefix and returns the rest of
	 * that line.
	 */
	public String awaitLine(String prefix, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + ":\n" + logText());
			}
			try {
				for (String line : Files.readAllLines(this.log)) {
					if (line.startsWith(prefix)) {
						return line.substring(prefix.length()).trim();
					}
				}
			}
			catch (IOException ex) {
				// Not written yet.
			}
			Pause.millis(50);
		}
		throw new IllegalStateException(
				this.name + " did not print '" + prefix + "' within " + timeout + ":\n" + logText());
	}

	/** The resident set size from {@code /proc}, in bytes. */
	public long residentBytes() {
		return ProcStatus.residentBytes(pid());
	}

	/**
	 * Stops the process: a polite signal first, then a kill after 10 seconds. Idempotent.
	 */
	@Override
	public void close() {
		running.remove(this);
		if (!this.process.isAlive()) {
			return;
		}
		this.process.descendants().forEach(ProcessHandle::destroy);
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + pid() + ")";
	}

}
