package dev.atrium.gateway;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every application context of the tests its own audit directory: the contexts the
 * test framework caches live side by side in one JVM, and a journal holds its directory
 * alone.
 */
public class TestAuditDirectory implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Path directory = Path.of("target", "test-audit", UUID.randomUUID().toString());
		environment.getPropertySources()
			.addLast(new MapPropertySource("testAuditDirectory",
					Map.of("atrium.audit.directory", directory.toString())));
	}

}
