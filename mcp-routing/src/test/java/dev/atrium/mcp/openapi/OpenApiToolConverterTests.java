package dev.atrium.mcp.openapi;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.atrium.testsupport.LocalPetsApi;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The tools of a small pets API: names, input and output schemas with their {@code $ref}s
 * resolved, and hints from the HTTP methods.
 */
class OpenApiToolConverterTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String PETS = LocalPetsApi.spec().toString();

	final OpenAPI api = OpenApiDocuments.load(PETS);

	final Map<String, OpenApiTool> tools = OpenApiToolConverter.tools(this.api, Set.of())
		.stream()
		.collect(Collectors.toMap(OpenApiTool::name, Function.identity()));

	@Test
	void everyOperationWithAJsonOrNoBodyBecomesATool() {
		assertThat(this.tools).containsOnlyKeys("listPets", "create_pet", "showPetById", "put_pets_petId", "deletePet");
	}

	@Test
	void namesAreOperationIdsOrMethodAndPathWithinMcpRules() {
		assertThat(OpenApiToolConverter.name(null, PathItem.HttpMethod.GET, "/v2/users/{id}/orders"))
			.isEqualTo("get_v2_users_id_orders");
		assertThat(OpenApiToolConverter.name("a".repeat(80), PathItem.HttpMethod.GET, "/")).hasSize(64);
		assertThat(OpenApiToolConverter.name("ünïcode op", PathItem.HttpMethod.GET, "/")).isEqualTo("n_code_op");
	}

	@Test
	void parametersBecomePropertiesRequiredWhenTheyAre() {
		ObjectNode input = (ObjectNode) this.tools.get("listPets").definition().get("inputSchema");
		assertThat(input.get("type").asString()).isEqualTo("object");
		assertThat(input.get("properties").propertyNames()).containsExactly("kind", "limit", "X-Request-Id");
		assertThat(input.at("/properties/kind/enum").toString()).isEqualTo("[\"cat\",\"dog\"]");
		assertThat(input.at("/properties/kind/description").asString()).isEqualTo("Only pets of this kind");
		assertThat(input.at("/properties/limit/maximum").asInt()).isEqualTo(100);
		assertThat(input.get("required").toString()).isEqualTo("[\"X-Request-Id\"]");
		assertThat(this.tools.get("listPets").operation().parameters()).containsExactly(
				new OpenApiParameter("kind", OpenApiParameter.Location.QUERY, false),
				new OpenApiParameter("limit", OpenApiParameter.Location.QUERY, false),
				new OpenApiParameter("X-Request-Id", OpenApiParameter.Location.HEADER, true));
	}

	@Test
	void pathItemParametersApplyToEachOperation() {
		ObjectNode input = (ObjectNode) this.tools.get("deletePet").definition().get("inputSchema");
		assertThat(input.at("/properties/petId/type").asString()).isEqualTo("string");
		assertThat(input.get("required").toString()).isEqualTo("[\"petId\"]");
		assertThat(this.tools.get("deletePet").operation()).isEqualTo(new OpenApiOperation("DELETE", "/pets/{petId}",
				List.of(new OpenApiParameter("petId", OpenApiParameter.Location.PATH, true)), false, false));
	}

	@Test
	void aJsonBodyIsTheBodyPropertyWithItsResolvedSchema() {
		OpenApiTool create = this.tools.get("create_pet");
		assertThat(create.definition().at("/inputSchema/properties/body/properties/name/type").asString())
			.isEqualTo("string");
		assertThat(create.definition().at("/inputSchema/properties/body/required").toString()).isEqualTo("[\"name\"]");
		assertThat(create.definition().at("/inputSchema/required").toString()).isEqualTo("[\"body\"]");
		assertThat(create.operation().body()).isTrue();
		assertThat(create.operation().bodyRequired()).isTrue();
		OpenApiTool replace = this.tools.get("put_pets_petId");
		assertThat(replace.definition().at("/inputSchema/required").toString()).isEqualTo("[\"petId\"]");
		assertThat(replace.operation().bodyRequired()).isFalse();
		assertThat(create.definition().toString()).doesNotContain("$ref");
	}

	@Test
	void descriptionsComeFromSummaryAndDescription() {
		assertThat(this.tools.get("listPets").definition().get("description").asString())
			.isEqualTo("List pets\n\nThe pets of the shop, by kind.");
		assertThat(this.tools.get("listPets").definition().get("title").asString()).isEqualTo("List pets");
		assertThat(this.tools.get("deletePet").definition().get("description").asString())
			.isEqualTo("DELETE /pets/{petId}");
	}

	@Test
	void hintsFollowTheHttpMethod() {
		assertThat(annotations("listPets")).containsEntry("readOnlyHint", true)
			.containsEntry("idempotentHint", true)
			.doesNotContainKey("destructiveHint");
		assertThat(annotations("put_pets_petId")).containsEntry("readOnlyHint", false)
			.containsEntry("idempotentHint", true);
		assertThat(annotations("deletePet")).containsEntry("readOnlyHint", false)
			.containsEntry("idempotentHint", true)
			.containsEntry("destructiveHint", true);
		assertThat(annotations("create_pet")).containsEntry("readOnlyHint", false)
			.containsEntry("idempotentHint", false)
			.doesNotContainKey("destructiveHint");
	}

	@Test
	void anObjectAnswerIsTheOutputSchema() {
		assertThat(this.tools.get("listPets").definition().at("/outputSchema/properties/pets/type").asString())
			.isEqualTo("array");
		assertThat(this.tools.get("deletePet").definition().has("outputSchema")).isFalse();
	}

	@Test
	void anAllowListKeepsOnlyItsOperations() {
		assertThat(OpenApiToolConverter.tools(this.api, Set.of("listPets", "deletePet"))).extracting(OpenApiTool::name)
			.containsExactly("listPets", "deletePet");
	}

	@Test
	void anAllowListWithAnUnknownOperationIsRefused() {
		assertThatExceptionOfType(OpenApiException.class)
			.isThrownBy(() -> OpenApiToolConverter.tools(this.api, Set.of("listPets", "adoptPet")))
			.withMessageContaining("adoptPet");
	}

	@Test
	void theBaseUrlIsTheFirstServerWithItsVariablesOrTheOverride() {
		assertThat(OpenApiToolConverter.baseUrl(this.api, PETS, null))
			.isEqualTo(URI.create("http://pets.example:8080/v1"));
		assertThat(OpenApiToolConverter.baseUrl(this.api, PETS, URI.create("http://127.0.0.1:1/api")))
			.isEqualTo(URI.create("http://127.0.0.1:1/api"));
	}

	@Test
	void aDocumentThatIsNotOpenApiIsRefused() {
		assertThatExceptionOfType(OpenApiException.class)
			.isThrownBy(() -> OpenApiDocuments.load(Path.of("pom.xml").toAbsolutePath().toString()))
			.withMessageContaining("pom.xml");
		assertThatExceptionOfType(OpenApiException.class)
			.isThrownBy(() -> OpenApiDocuments.load(Path.of("no-such-file.yaml").toAbsolutePath().toString()))
			.withMessageContaining("no-such-file.yaml");
	}

	private Map<String, Object> annotations(String tool) {
		return JSON.convertValue(this.tools.get(tool).definition().get("annotations"), Map.class);
	}

}
