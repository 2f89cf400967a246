package dev.atrium.mcp.client.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

import dev.atrium.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Secrets in files, rotated on disk while they are in use. */
class FileSecretTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	@TempDir
	Path directory;

	@Test
	void aFileChangedOnDiskIsReadAtTheNextUseAfterTheRecheckInterval() throws Exception {
		Path file = this.directory.resolve("api-key");
		Files.writeString(file, "first\n");
		FileSecret secret = new FileSecret(file, Duration.ofSeconds(1), this.clock);
		assertThat(secret.value().block()).isEqualTo("first");
		Files.writeString(file, "second-and-longer");
		assertThat(secret.value().block()).as("within the recheck interval").isEqualTo("first");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(secret.value().block()).isEqualTo("second-and-longer");
	}

	@Test
	void aKubernetesSecretRotatedBySwappingItsDataLinkIsRead() throws Exception {
		// The kubelet's layout: key -> ..data/key, ..data -> a timestamped directory.
		Files.createDirectory(this.directory.resolve("..2026_01_01_v1"));
		Files.writeString(this.directory.resolve("..2026_01_01_v1/client-secret"), "v1");
		Files.createSymbolicLink(this.directory.resolve("..data"), Path.of("..2026_01_01_v1"));
		Path key = this.directory.resolve("client-secret");
		Files.createSymbolicLink(key, Path.of("..data/client-secret"));
		FileSecret secret = new FileSecret(key, Duration.ZERO, this.clock);
		assertThat(secret.value().block()).isEqualTo("v1");
		Files.createDirectory(this.directory.resolve("..2026_01_02_v2"));
		Files.writeString(this.directory.resolve("..2026_01_02_v2/client-secret"), "v2");
		Path next = this.directory.resolve("..data_tmp");
		Files.createSymbolicLink(next, Path.of("..2026_01_02_v2"));
		Files.move(next, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
		assertThat(secret.value().block()).isEqualTo("v2");
	}

	@Test
	void rereadSkipsTheRecheckInterval() throws Exception {
		Path file = this.directory.resolve("secret");
		Files.writeString(file, "old");
		FileSecret secret = new FileSecret(file, Duration.ofHours(1), this.clock);
		assertThat(secret.value().block()).isEqualTo("old");
		Files.writeString(file, "new");
		assertThat(secret.reread().block()).isEqualTo("new");
		assertThat(secret.value().block()).isEqualTo("new");
	}

	@Test
	void aMissingFileIsAnErrorNamingIt() {
		Path file = this.directory.resolve("absent");
		FileSecret secret = new FileSecret(file, Duration.ofSeconds(1), this.clock);
		assertThatExceptionOfType(OutboundCredentialsException.class).isThrownBy(() -> secret.value().block())
			.withMessage("Cannot read the secret in file " + file);
	}

}
