package dev.atrium.mcp.client.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A secret in a file, such as a mounted Kubernetes secret. The file is looked at again at
 * most every {@code recheck}, and read again when its real path, modification time or
 * size changed: Kubernetes rotates a mounted secret by swapping a symbolic link to a new
 * file. Trailing line breaks are not part of the value.
 */
public final class FileSecret implements SecretSource {

	private final Path path;

	private final Duration recheck;

	private final Clock clock;

	private volatile Snapshot snapshot;

	/**
	 * @param path the file
	 * @param recheck how long a value read is used before the file is looked at again
	 * @param clock the clock {@code recheck} is measured on
	 */
	public FileSecret(Path path, Duration recheck, Clock clock) {
		this.path = Objects.requireNonNull(path, "path");
		this.recheck = Objects.requireNonNull(recheck, "recheck");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public Mono<String> value() {
		return Mono.defer(() -> {
			Snapshot current = this.snapshot;
			if (current != null && this.clock.instant().isBefore(current.checked().plus(this.recheck))) {
				return Mono.just(current.value());
			}
			return read(false);
		});
	}

	@Override
	public Mono<String> reread() {
		return read(true);
	}

	@Override
	public String description() {
		return "file " + this.path;
	}

	/** File system calls block: they run on a thread that may. */
	private Mono<String> read(boolean always) {
		return Mono.fromCallable(() -> readIfChanged(always))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(IOException.class,
					(ex) -> new OutboundCredentialsException("Cannot read the secret in " + description(), ex));
	}

	private String readIfChanged(boolean always) throws IOException {
		Path real = this.path.toRealPath();
		BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
		Instant now = this.clock.instant();
		Snapshot current = this.snapshot;
		if (!always && current != null && current.sameFile(real, attributes)) {
			this.snapshot = current.checkedAt(now);
			return current.value();
		}
		String value = stripLineBreaks(Files.readString(real, StandardCharsets.UTF_8));
		this.snapshot = new Snapshot(real, attributes.lastModifiedTime().toInstant(), attributes.size(), value, now);
		return value;
	}

	private static String stripLineBreaks(String text) {
		int end = text.length();
		while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
			end--;
		}
		return text.substring(0, end);
	}

	@Override
	public String toString() {
		return "FileSecret[" + this.path + "]";
	}

	private record Snapshot(Path realPath, Instant modified, long size, String value, Instant checked) {

		boolean sameFile(Path real, BasicFileAttributes attributes) {
			return this.realPath.equals(real) && this.modified.equals(attributes.lastModifiedTime().toInstant())
					&& this.size == attributes.size();
		}

		Snapshot checkedAt(Instant now) {
			return new Snapshot(this.realPath, this.modified, this.size, this.value, now);
		}

	}

}
