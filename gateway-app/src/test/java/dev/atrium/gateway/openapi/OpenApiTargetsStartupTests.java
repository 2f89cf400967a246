package dev.atrium.gateway.openapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import dev.atrium.gateway.config.AtriumProperties;
import dev.atrium.gateway.config.AtriumPropertiesValidator;
import dev.atrium.gateway.credentials.TargetCredentialsConfiguration;
import dev.atrium.testsupport.LocalPetsApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Validator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OpenAPI document that cannot become tools stops Atrium at start, with the property
 * to fix and the reason.
 */
class OpenApiTargetsStartupTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Infrastructure.class, TargetCredentialsConfiguration.class, OpenApiConfiguration.class);

	@Test
	void aGoodDocumentStarts() {
		this.runner
			.withPropertyValues("atrium.targets.pets.openapi.spec=" + LocalPetsApi.spec(),
					"atrium.targets.pets.openapi.base-url=http://127.0.0.1:1/v1")
			.run((context) -> assertThat(context.getBean(OpenApiTargets.class).server("pets")).isPresent());
	}

	@Test
	void aDocumentThatIsNotOpenApiIsRejected(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("bad.yaml"), "hello: world\n");
		this.runner.withPropertyValues("atrium.targets.pets.openapi.spec=" + file)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.pets.openapi.spec (" + file + ")")
				.hasMessageContaining("is not a readable OpenAPI 3 document"));
	}

	@Test
	void anUnreachableDocumentIsRejected() {
		this.runner.withPropertyValues("atrium.targets.pets.openapi.spec=http://127.0.0.1:1/openapi.yaml")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.pets.openapi.spec (http://127.0.0.1:1/openapi.yaml)"));
	}

	@Test
	void anAllowListNamingNoOperationOfTheDocumentIsRejected() {
		this.runner
			.withPropertyValues("atrium.targets.pets.openapi.spec=" + LocalPetsApi.spec(),
					"atrium.targets.pets.openapi.base-url=http://127.0.0.1:1/v1",
					"atrium.targets.pets.openapi.operations=adoptPet")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("atrium.targets.pets.openapi.spec")
				.hasMessageContaining("the document has no operations with ids [adoptPet]"));
	}

	@Test
	void aDocumentWithARelativeServerNeedsABaseUrl() {
		this.runner.withPropertyValues("atrium.targets.pets.openapi.spec=" + relativeServer())
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("is relative; set base-url"));
	}

	private static Path relativeServer() {
		try {
			Path file = Files.createTempFile("relative", ".yaml");
			file.toFile().deleteOnExit();
			return Files.writeString(file,
					Files.readString(LocalPetsApi.spec()).replace("http://{host}:8080/v1", "/v1"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AtriumProperties.class)
	static class Infrastructure {

		@Bean
		static Validator configurationPropertiesValidator() {
			return new AtriumPropertiesValidator();
		}

		@Bean
		HttpClient targetHttpClient() {
			return HttpClient.create();
		}

		@Bean
		Clock clock() {
			return Clock.systemUTC();
		}

	}

}
