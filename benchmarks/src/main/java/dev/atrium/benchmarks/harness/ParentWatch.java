package dev.atrium.benchmarks.harness;

import java.io.IOException;

/**
 * For the processes the harness starts from this module: they end when the harness does,
 * even when it is killed and cannot run its shutdown hooks, because its end of their
 * standard input closes then.
 */
public final class ParentWatch {

	private ParentWatch() {
	}

	public static void exitWhenStdinCloses() {
		Thread watcher = new Thread(() -> {
			try {
				while (System.in.read() != -1) {
					// Nothing is sent on stdin; only its end matters.
				}
			}
			catch (IOException ex) {
				// Closed as well.
			}
			System.exit(0);
		}, "parent-watch");
		watcher.setDaemon(true);
		watcher.start();
	}

}
