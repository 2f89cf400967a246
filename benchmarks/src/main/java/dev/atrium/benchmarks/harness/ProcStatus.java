package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory of a process as Linux reports it in {@code /proc/<pid>/status}. */
final class ProcStatus {

	private ProcStatus() {
	}

	/** VmRSS in bytes, or -1 where there is no {@code /proc}. */
	static long residentBytes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith("VmRSS:")) {
					String[] parts = line.substring(6).trim().split("\\s+");
					return Long.parseLong(parts[0]) * 1024;
				}
			}
			return -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

}
