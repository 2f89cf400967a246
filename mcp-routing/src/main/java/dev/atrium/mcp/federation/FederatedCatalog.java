package dev.atrium.mcp.federation;

import java.util.LinkedHashMap;
import java.util.Collections;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

import dev.atrium.mcp.catalog.TargetCatalog;
import dev.atrium.mcp.catalog.TargetHealth;
import dev.atrium.mcp.jsonrpc.JsonRpcCodec;
import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One scenario's merged catalog at one moment: the items clients see, the tables that
 * route their names back to targets, and the capabilities the targets really have.
 * Immutable; rebuilt when a target's catalog changes.
 */
public final class FederatedCatalog {

	private final List<ObjectNode> tools;

	private final List<ObjectNode> prompts;

	private final List<ObjectNode> resources;

	private final List<ObjectNode> resourceTemplates;

	private final NameTable toolNames;

	private final NameTable promptNames;

	private final ResourceTable resourceTable;

	private final ObjectNode capabilities;

	private final String instructions;

	private final List<String> targetsListingTasks;

	private final Map<String, String> failures;

	private final Set<QualifiedName> idempotentTools;

	private final FailurePolicy failurePolicy;

	private final String fingerprint;

	private FederatedCatalog(Builder builder) {
		this.tools = builder.tools;
		this.prompts = builder.prompts;
		this.resources = builder.resources;
		this.resourceTemplates = builder.resourceTemplates;
		this.toolNames = builder.toolNames;
		this.promptNames = builder.promptNames;
		this.resourceTable = builder.resourceTable;
		this.capabilities = builder.capabilities;
		this.instructions = builder.instructions;
		this.targetsListingTasks = List.copyOf(builder.targetsListingTasks);
		this.failures = Collections.unmodifiableMap(builder.failures);
		this.idempotentTools = Set.copyOf(builder.idempotentTools);
		this.failurePolicy = builder.failurePolicy;
		this.fingerprint = fingerprint(List.of(this.tools, this.prompts, this.resources, this.resourceTemplates));
	}

	/**
	 * Merges the catalogs of a scenario's targets. A target that failed keeps its last
	 * catalog, if it ever had one, and is named in {@link #failures()}.
	 */
	public static FederatedCatalog build(ScenarioSpec scenario, Map<String, TargetHealth> health) {
		return build(scenario, health, CatalogView.ALL);
	}

	/**
	 * Merges what a view admits of the catalogs of a scenario's targets: hidden targets
	 * and tools are left out before names are mapped, so nothing about them shows, not
	 * even as a failure or a prefix.
	 */
	public static FederatedCatalog build(ScenarioSpec scenario, Map<String, TargetHealth> health, CatalogView view) {
		Builder builder = new Builder(scenario.failurePolicy());
		List<ScenarioSpec.TargetRef> present = new ArrayList<>();
		List<TargetCatalog> catalogs = new ArrayList<>();
		for (ScenarioSpec.TargetRef target : scenario.targets()) {
			if (!view.admitsTarget(target.name())) {
				continue;
			}
			TargetHealth state = health.getOrDefault(target.name(), TargetHealth.unknown(target.name()));
			if (!state.up()) {
				builder.failures.put(target.name(), state.failure());
			}
			if (state.catalog() != null) {
				present.add(target);
				catalogs.add(state.catalog().withTools((tool) -> view.admitsTool(target.name(), tool)));
			}
		}
		NameMapper mapper = new NameMapper(scenario.naming(), scenario.maxNameLength());
		builder.toolNames = mapper.map(names(present, catalogs, TargetCatalog::tools));
		builder.promptNames = mapper.map(names(present, catalogs, TargetCatalog::prompts));
		builder.resourceTable = ResourceTable.build(resources(present, catalogs));
		StringBuilder instructions = new StringBuilder();
		for (int i = 0; i < present.size(); i++) {
			String target = present.get(i).name();
			TargetCatalog catalog = catalogs.get(i);
			boolean toolTasks = catalog.capabilities().path("tasks").path("requests").path("tools").has("call");
			catalog.tools().forEach((tool) -> {
				ObjectNode renamed = renamed(tool, "name", builder.toolNames, target);
				if (!toolTasks && renamed.get("execution") instanceof ObjectNode execution) {
					// Other targets may make the merged server announce tasks: a tool of
					// a
					// target that has none must not be called as one.
					execution.remove("taskSupport");
				}
				builder.tools.add(renamed);
				if (idempotent(tool)) {
					builder.idempotentTools.add(new QualifiedName(target, tool.path("name").asString("")));
				}
			});
			catalog.prompts()
				.forEach((prompt) -> builder.prompts.add(renamed(prompt, "name", builder.promptNames, target)));
			catalog.resources().forEach((resource) -> {
				ObjectNode copy = resource.deepCopy();
				copy.put("uri",
						builder.resourceTable.exposedUri(new QualifiedName(target, resource.path("uri").asString(""))));
				builder.resources.add(copy);
			});
			catalog.resourceTemplates().forEach((template) -> {
				ObjectNode copy = template.deepCopy();
				copy.put("uriTemplate", builder.resourceTable
					.exposedTemplate(new QualifiedName(target, template.path("uriTemplate").asString(""))));
				builder.resourceTemplates.add(copy);
			});
			for (String capability : List.of("tools", "prompts", "resources", "logging", "completions")) {
				if (catalog.hasCapability(capability)) {
					// Logging levels are fanned out and completions routed by what they
					// complete. listChanged and subscribe are announced when a target has
					// them: their notifications reach the client on the standalone
					// stream.
					ObjectNode announced = builder.capabilities.has(capability)
							? (ObjectNode) builder.capabilities.get(capability)
							: builder.capabilities.putObject(capability);
					for (String flag : List.of("listChanged", "subscribe")) {
						if (catalog.hasCapabilityFlag(capability, flag)) {
							announced.put(flag, true);
						}
					}
				}
			}
			mergeTasks(catalog, toolTasks, builder);
			if (catalog.instructions() != null && !catalog.instructions().isBlank()) {
				instructions.append(instructions.isEmpty() ? "" : "\n\n")
					.append("[")
					.append(target)
					.append("] ")
					.append(catalog.instructions().strip());
			}
		}
		builder.instructions = instructions.isEmpty() ? null : instructions.toString();
		return new FederatedCatalog(builder);
	}

	/**
	 * Tasks are announced as far as some target has them; {@code tasks/list} and
	 * {@code tasks/cancel} are served by the targets that have them.
	 */
	private static void mergeTasks(TargetCatalog catalog, boolean toolTasks, Builder builder) {
		JsonNode tasks = catalog.capabilities().get("tasks");
		if (tasks == null || !tasks.isObject()) {
			return;
		}
		ObjectNode merged = builder.capabilities.has("tasks") ? (ObjectNode) builder.capabilities.get("tasks")
				: builder.capabilities.putObject("tasks");
		if (tasks.has("list")) {
			merged.putObject("list");
			builder.targetsListingTasks.add(catalog.target());
		}
		if (tasks.has("cancel")) {
			merged.putObject("cancel");
		}
		if (toolTasks) {
			merged.putObject("requests").putObject("tools").putObject("call");
		}
	}

	/** The targets that answer {@code tasks/list}, in the scenario's order. */
	public List<String> targetsListingTasks() {
		return this.targetsListingTasks;
	}

	public NameTable toolNames() {
		return this.toolNames;
	}

	public NameTable promptNames() {
		return this.promptNames;
	}

	public ResourceTable resourceTable() {
		return this.resourceTable;
	}

	public ObjectNode capabilities() {
		return this.capabilities.deepCopy();
	}

	public String instructions() {
		return this.instructions;
	}

	/** Targets whose last refresh failed, with the reason. */
	public Map<String, String> failures() {
		return this.failures;
	}

	public List<ObjectNode> tools() {
		return this.tools;
	}

	/**
	 * Whether calling a tool twice has the effect of calling it once, as its target
	 * annotates it ({@code idempotentHint}, or {@code readOnlyHint}: a tool that changes
	 * nothing changes nothing twice). Hints are only trusted about the target itself: a
	 * target that misdescribes a tool gets that tool retried.
	 */
	public boolean idempotentTool(QualifiedName tool) {
		return this.idempotentTools.contains(tool);
	}

	/**
	 * One page of a merged list, as the {@code result} of the list request.
	 * @param list which list: {@code tools}, {@code prompts}, {@code resources} or
	 * {@code resourceTemplates}
	 * @param cursor the client's cursor, or {@code null} for the first page
	 */
	public ObjectNode page(String list, String cursor, int pageSize) {
		if (this.failurePolicy == FailurePolicy.CLOSED && !this.failures.isEmpty()) {
			throw new JsonRpcException(JsonRpcError.TARGET_UNAVAILABLE,
					"Targets unavailable, the list would be incomplete: " + describe(this.failures));
		}
		List<ObjectNode> items = switch (list) {
			case "tools" -> this.tools;
			case "prompts" -> this.prompts;
			case "resources" -> this.resources;
			case "resourceTemplates" -> this.resourceTemplates;
			default -> throw new IllegalArgumentException("unknown list " + list);
		};
		int from = (cursor != null) ? PageCursor.decode(cursor, this.fingerprint).offset() : 0;
		int to = Math.min(items.size(), from + pageSize);
		ObjectNode result = JsonRpcCodec.object();
		ArrayNode array = result.putArray(list);
		for (int i = Math.min(from, items.size()); i < to; i++) {
			array.add(items.get(i));
		}
		if (to < items.size()) {
			result.put("nextCursor", new PageCursor(this.fingerprint, to).encode());
		}
		return result;
	}

	private static String describe(Map<String, String> failures) {
		StringBuilder text = new StringBuilder();
		failures.forEach((target, reason) -> text.append(text.isEmpty() ? "" : "; ")
			.append(target)
			.append(" (")
			.append(reason)
			.append(")"));
		return text.toString();
	}

	private static boolean idempotent(ObjectNode tool) {
		JsonNode annotations = tool.path("annotations");
		return isTrue(annotations.path("idempotentHint")) || isTrue(annotations.path("readOnlyHint"));
	}

	private static boolean isTrue(JsonNode node) {
		return node.isBoolean() && node.booleanValue();
	}

	private static ObjectNode renamed(ObjectNode item, String member, NameTable names, String target) {
		ObjectNode copy = item.deepCopy();
		String exposed = names.exposed(new QualifiedName(target, item.path(member).asString("")));
		if (exposed != null) {
			copy.put(member, exposed);
		}
		return copy;
	}

	private static List<NameMapper.TargetNames> names(List<ScenarioSpec.TargetRef> targets,
			List<TargetCatalog> catalogs, Function<TargetCatalog, List<ObjectNode>> items) {
		List<NameMapper.TargetNames> names = new ArrayList<>();
		for (int i = 0; i < targets.size(); i++) {
			names.add(new NameMapper.TargetNames(targets.get(i).name(), targets.get(i).prefix(),
					items.apply(catalogs.get(i)).stream().map((item) -> item.path("name").asString("")).toList()));
		}
		return names;
	}

	private static List<ResourceTable.TargetResources> resources(List<ScenarioSpec.TargetRef> targets,
			List<TargetCatalog> catalogs) {
		List<ResourceTable.TargetResources> resources = new ArrayList<>();
		for (int i = 0; i < targets.size(); i++) {
			TargetCatalog catalog = catalogs.get(i);
			resources.add(new ResourceTable.TargetResources(targets.get(i).name(), targets.get(i).prefix(),
					catalog.resources().stream().map((item) -> item.path("uri").asString("")).toList(),
					catalog.resourceTemplates()
						.stream()
						.map((item) -> item.path("uriTemplate").asString(""))
						.toList()));
		}
		return resources;
	}

	private static String fingerprint(List<List<ObjectNode>> lists) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (List<ObjectNode> list : lists) {
				for (ObjectNode item : list) {
					digest.update(item.toString().getBytes(StandardCharsets.UTF_8));
				}
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final class Builder {

		private final List<ObjectNode> tools = new ArrayList<>();

		private final List<ObjectNode> prompts = new ArrayList<>();

		private final List<ObjectNode> resources = new ArrayList<>();

		private final List<ObjectNode> resourceTemplates = new ArrayList<>();

		private final Map<String, String> failures = new LinkedHashMap<>();

		private final Set<QualifiedName> idempotentTools = new HashSet<>();

		private final ObjectNode capabilities = JsonRpcCodec.object();

		private final List<String> targetsListingTasks = new ArrayList<>();

		private final FailurePolicy failurePolicy;

		private NameTable toolNames;

		private NameTable promptNames;

		private ResourceTable resourceTable;

		private String instructions;

		Builder(FailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
		}

	}

}
