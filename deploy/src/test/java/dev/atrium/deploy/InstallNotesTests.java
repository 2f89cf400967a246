package dev.atrium.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code helm install} tells the operator.
 */
class InstallNotesTests {

	@Test
	void defaultInstallSaysWhichSecretToCreateAndThatItIsNotReadyForProduction(@TempDir Path work) {
		String notes = HelmChart.installNotes(work, "{}");
		assertThat(notes).contains("kubectl -n atrium create secret generic atrium-session-keys --from-literal=k1=")
			.contains("WARNING: atrium.demo.enabled is not false")
			.contains("NOTE: the NetworkPolicy admits no caller yet");
	}

	@Test
	void productionInstallListsItsPublicEndpointsWithoutWarnings(@TempDir Path work) throws Exception {
		String notes = HelmChart.installNotes(work, Files.readString(HelmChart.example("production-us-east-1")));
		assertThat(notes).contains("https://mcp.example.com/<scenario path>/mcp")
			.contains("https://mcp-us-east-1.example.com/<scenario path>/mcp")
			.doesNotContain("WARNING")
			.doesNotContain("NOTE:");
	}

	@Test
	void proofOfConceptInstallWarnsThatSessionsDoNotSurviveARestart(@TempDir Path work) throws Exception {
		assertThat(HelmChart.installNotes(work, Files.readString(HelmChart.example("poc"))))
			.contains("WARNING: no sessionKeys");
	}

}
