package dev.atrium.gateway.openapi;

import java.util.Locale;

import dev.atrium.gateway.McpRequests;
import dev.atrium.testsupport.LocalPetsApi;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A REST API described by an OpenAPI document, federated as the target {@code pets}: its
 * operations are tools of the scenario, calls reach the API with the target's
 * credentials, and the in-process MCP server behind it is not reachable from outside.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "atrium.session.keys[0].id=test",
				"atrium.session.keys[0].secret=a-test-secret-of-at-least-32-characters",
				"atrium.targets.pets.openapi.timeout=5s",
				"atrium.targets.pets.openapi.operations=listPets,showPetById,deletePet",
				"atrium.targets.pets.credentials.type=api-key", "atrium.targets.pets.credentials.header=X-Api-Key",
				"atrium.targets.pets.credentials.key.value=pets-key", "atrium.scenarios.internal.targets=pets,demo" })
class OpenApiTargetRouteTests {

	static final LocalPetsApi api = LocalPetsApi.start();

	@LocalServerPort
	int port;

	WebTestClient client;

	String token;

	@DynamicPropertySource
	static void petsApi(DynamicPropertyRegistry registry) {
		registry.add("atrium.targets.pets.openapi.spec", () -> LocalPetsApi.spec().toString());
		registry.add("atrium.targets.pets.openapi.base-url", api::url);
	}

	@AfterAll
	static void stop() {
		api.close();
	}

	@BeforeEach
	void setUp() {
		this.client = McpRequests.client(this.port);
		this.token = McpRequests.stsToken(this.client, "local-dev", "local-dev-secret");
		api.reset();
	}

	@Test
	void theApisAllowedOperationsAreToolsOfTheScenario() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", this.token);
		McpRequests.post(this.client, "/internal/mcp", this.token, session)
			.bodyValue("""
					{"jsonrpc":"2.0","id":2,"method":"tools/list"}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.tools[?(@.name =~ /pets___.*/)].name")
			.value((names) -> assertThat(names).asInstanceOf(InstanceOfAssertFactories.list(String.class))
				.containsExactlyInAnyOrder("pets___listPets", "pets___showPetById", "pets___deletePet"))
			.jsonPath("$.result.tools[?(@.name == 'pets___showPetById')].inputSchema.required[0]")
			.isEqualTo("petId")
			.jsonPath("$.result.tools[?(@.name == 'pets___listPets')].annotations.readOnlyHint")
			.isEqualTo(true)
			.jsonPath("$.result.tools[?(@.name == 'pets___deletePet')].annotations.destructiveHint")
			.isEqualTo(true);
	}

	@Test
	void aToolCallReachesTheApiWithItsCredentialsAndReturnsItsAnswer() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", this.token);
		McpRequests.post(this.client, "/internal/mcp", this.token, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"pets___showPetById","arguments":{"petId":"1"}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.isError")
			.isEqualTo(false)
			.jsonPath("$.result.content[0].text")
			.isEqualTo("{\"id\":\"1\",\"name\":\"Rex\",\"kind\":\"dog\"}")
			.jsonPath("$.result.structuredContent.name")
			.isEqualTo("Rex");

		assertThat(api.seen()).singleElement().satisfies((seen) -> {
			assertThat(seen.uri()).isEqualTo("/v1/pets/1");
			assertThat(seen.headers()).containsEntry("x-api-key", "pets-key")
				.doesNotContainKey(InternalRouteSecret.HEADER.toLowerCase(Locale.ROOT));
		});
	}

	@Test
	void anHttpErrorOfTheApiIsAToolError() {
		String session = McpRequests.initialize(this.client, "/internal/mcp", this.token);
		McpRequests.post(this.client, "/internal/mcp", this.token, session)
			.bodyValue(
					"""
							{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"pets___showPetById","arguments":{"petId":"7"}}}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.result.isError")
			.isEqualTo(true)
			.jsonPath("$.result.content[0].text")
			.isEqualTo("HTTP 404: {\"error\":\"no such pet\"}");
	}

	@Test
	void theInProcessServerIsNotFoundWithoutTheInternalSecret() {
		McpRequests.post(this.client, OpenApiTargets.path("pets"), null, null)
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isNotFound();
		McpRequests.post(this.client, OpenApiTargets.path("pets"), this.token, null)
			.header(InternalRouteSecret.HEADER, "guessed")
			.bodyValue(McpRequests.INITIALIZE)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(api.seen()).isEmpty();
	}

}
