package dev.atrium.deploy;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.gson.JsonParser;
import com.google.gson.annotations.SerializedName;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import tools.jackson.databind.JsonNode;

/**
 * Checks a rendered manifest against the API schema of its kind, as generated into Java
 * models from that API's own schema: every field must be one the schema defines, every
 * value must have the schema's type, every field the schema requires must be there. Core
 * kinds use the Kubernetes Java client's models (generated from the Kubernetes OpenAPI
 * document, with its required fields); the Prometheus Operator's kinds use fabric8's
 * models (generated from its CRDs, which keep no required fields). A kind neither knows
 * is itself a violation, so a new template cannot go unchecked.
 */
final class ApiSchemaValidator {

	private static final Map<String, Schema> SCHEMAS = Map.ofEntries(
			Models.KUBERNETES.schema("v1/ConfigMap", V1ConfigMap.class),
			Models.KUBERNETES.schema("v1/Service", V1Service.class),
			Models.KUBERNETES.schema("v1/ServiceAccount", V1ServiceAccount.class),
			Models.KUBERNETES.schema("apps/v1/Deployment", V1Deployment.class),
			Models.KUBERNETES.schema("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
			Models.KUBERNETES.schema("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
			Models.KUBERNETES.schema("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
			Models.KUBERNETES.schema("networking.k8s.io/v1/Ingress", V1Ingress.class),
			Models.PROMETHEUS_OPERATOR.schema("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
			Models.PROMETHEUS_OPERATOR.schema("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

	private ApiSchemaValidator() {
	}

	/**
	 * The kinds checked, as {@code apiVersion/kind}.
	 */
	static Set<String> kinds() {
		return SCHEMAS.keySet();
	}

	/**
	 * What in the manifest the schema of its kind refuses, each naming the manifest and
	 * the field as a JSON pointer; empty when it conforms.
	 */
	static List<String> violations(JsonNode manifest) {
		String type = manifest.path("apiVersion").asString() + "/" + manifest.path("kind").asString();
		String name = type + " " + manifest.at("/metadata/name").asString();
		Schema schema = SCHEMAS.get(type);
		if (schema == null) {
			return List.of(name + ": no API schema for this kind (known: " + kinds().stream().sorted().toList() + ")");
		}
		List<String> violations = new ArrayList<>();
		schema.check(manifest, "", violations);
		violations.addAll(schema.models().ownCheck().apply(new Manifest(schema.model(), manifest)));
		return violations.stream().map((violation) -> name + ": " + violation).toList();
	}

	private record Manifest(Class<?> model, JsonNode json) {
	}

	/**
	 * A family of generated models: how a Java field names its JSON property, which
	 * properties a model requires, and the library's own check of a whole object, if it
	 * has one.
	 */
	private enum Models {

		KUBERNETES(SerializedName.class, ApiSchemaValidator::serializedName, ApiSchemaValidator::openapiRequiredFields,
				ApiSchemaValidator::validateJsonElement),

		PROMETHEUS_OPERATOR(JsonProperty.class, ApiSchemaValidator::jsonProperty, (model) -> Set.of(),
				(manifest) -> List.of());

		private final Class<? extends Annotation> nameAnnotation;

		private final Function<Field, String> propertyName;

		private final Function<Class<?>, Set<String>> required;

		private final Function<Manifest, List<String>> ownCheck;

		Models(Class<? extends Annotation> nameAnnotation, Function<Field, String> propertyName,
				Function<Class<?>, Set<String>> required, Function<Manifest, List<String>> ownCheck) {
			this.nameAnnotation = nameAnnotation;
			this.propertyName = propertyName;
			this.required = required;
			this.ownCheck = ownCheck;
		}

		Map.Entry<String, Schema> schema(String type, Class<?> model) {
			return Map.entry(type, new Schema(this, model));
		}

		Function<Manifest, List<String>> ownCheck() {
			return this.ownCheck;
		}

		/** The model's JSON properties and the Java types of their values. */
		Map<String, Type> properties(Class<?> model) {
			Map<String, Type> properties = new LinkedHashMap<>();
			for (Class<?> type = model; type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					if (!Modifier.isStatic(field.getModifiers()) && field.isAnnotationPresent(this.nameAnnotation)
							&& !field.isAnnotationPresent(JsonIgnore.class)) {
						properties.putIfAbsent(this.propertyName.apply(field), field.getGenericType());
					}
				}
			}
			return properties;
		}

		boolean isModel(Class<?> type) {
			return type.getName()
				.startsWith(this == KUBERNETES ? "io.kubernetes.client.openapi.models." : "io.fabric8.")
					&& !isIntOrString(type) && !isQuantity(type);
		}

		boolean isIntOrString(Class<?> type) {
			return type == IntOrString.class || type == io.fabric8.kubernetes.api.model.IntOrString.class;
		}

		boolean isQuantity(Class<?> type) {
			return type == Quantity.class || type == io.fabric8.kubernetes.api.model.Quantity.class;
		}

	}

	private record Schema(Models models, Class<?> model) {

		void check(JsonNode object, String path, List<String> violations) {
			checkValue(this.model, object, path, violations);
		}

		private void checkModel(Class<?> model, JsonNode object, String path, List<String> violations) {
			Map<String, Type> properties = this.models.properties(model);
			for (Map.Entry<String, JsonNode> entry : object.properties()) {
				String property = path + "/" + entry.getKey();
				Type type = properties.get(entry.getKey());
				if (type == null) {
					violations.add(property + " is not a field of " + model.getSimpleName() + " (fields: "
							+ properties.keySet() + ")");
				}
				else if (!entry.getValue().isNull()) {
					checkValue(type, entry.getValue(), property, violations);
				}
			}
			for (String required : this.models.required.apply(model)) {
				if (object.path(required).isMissingNode() || object.path(required).isNull()) {
					violations.add(path + "/" + required + " is required by " + model.getSimpleName());
				}
			}
		}

		private void checkValue(Type type, JsonNode value, String path, List<String> violations) {
			if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
				Type element = parameterized.getActualTypeArguments()[parameterized.getActualTypeArguments().length
						- 1];
				if (Map.class.isAssignableFrom(raw)) {
					if (expect(value.isObject(), "an object", value, path, violations)) {
						value.properties()
							.forEach((entry) -> checkValue(element, entry.getValue(), path + "/" + entry.getKey(),
									violations));
					}
				}
				else if (Collection.class.isAssignableFrom(raw)) {
					if (expect(value.isArray(), "an array", value, path, violations)) {
						for (int i = 0; i < value.size(); i++) {
							checkValue(element, value.get(i), path + "/" + i, violations);
						}
					}
				}
				return;
			}
			if (!(type instanceof Class<?> clazz) || clazz == Object.class) {
				return;
			}
			if (clazz == String.class || clazz == OffsetDateTime.class || clazz == byte[].class) {
				expect(value.isString(), "a string", value, path, violations);
			}
			else if (clazz == Integer.class || clazz == Long.class || clazz == int.class || clazz == long.class) {
				expect(value.isIntegralNumber(), "an integer", value, path, violations);
			}
			else if (clazz == Double.class || clazz == Float.class || clazz == BigDecimal.class) {
				expect(value.isNumber(), "a number", value, path, violations);
			}
			else if (clazz == Boolean.class || clazz == boolean.class) {
				expect(value.isBoolean(), "a boolean", value, path, violations);
			}
			else if (this.models.isIntOrString(clazz)) {
				expect(value.isIntegralNumber() || value.isString(), "an integer or a string", value, path, violations);
			}
			else if (this.models.isQuantity(clazz)) {
				expect(value.isNumber() || value.isString(), "a quantity", value, path, violations);
			}
			else if (this.models.isModel(clazz)) {
				if (expect(value.isObject(), "an object", value, path, violations)) {
					checkModel(clazz, value, path, violations);
				}
			}
			else {
				violations.add(path + " has a type this check does not know: " + clazz.getName());
			}
		}

		private static boolean expect(boolean ok, String what, JsonNode value, String path, List<String> violations) {
			if (!ok) {
				violations.add(path + " must be " + what + ", was " + value.getNodeType() + " " + value);
			}
			return ok;
		}

	}

	private static String serializedName(Field field) {
		return field.getAnnotation(SerializedName.class).value();
	}

	private static String jsonProperty(Field field) {
		return field.getAnnotation(JsonProperty.class).value();
	}

	@SuppressWarnings("unchecked")
	private static Set<String> openapiRequiredFields(Class<?> model) {
		try {
			return new HashSet<>((Set<String>) model.getField("openapiRequiredFields").get(null));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(model + " has no openapiRequiredFields", ex);
		}
	}

	/**
	 * The Kubernetes client's own check of a whole object ({@code validateJsonElement}),
	 * run as well: it stops at its first finding, which the walk above should have found
	 * too.
	 */
	private static List<String> validateJsonElement(Manifest manifest) {
		try {
			manifest.model()
				.getMethod("validateJsonElement", com.google.gson.JsonElement.class)
				.invoke(null, JsonParser.parseString(manifest.json().toString()));
			return List.of();
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			String message = String.valueOf(ex.getCause().getMessage());
			int json = message.indexOf(" JSON: ");
			return List.of("the Kubernetes client refuses it: " + ((json > 0) ? message.substring(0, json) : message));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(manifest.model() + " has no validateJsonElement", ex);
		}
	}

}
