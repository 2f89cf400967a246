package dev.atrium.mcp.catalog;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import tools.jackson.databind.node.ObjectNode;

/**
 * Everything one target offers, as it listed it, every page followed to the end.
 *
 * @param target the target's name
 * @param serverInfo the target's {@code serverInfo}
 * @param capabilities the target's server capabilities
 * @param instructions the target's instructions, or {@code null}
 * @param tools the tools, as the target describes them
 * @param prompts the prompts
 * @param resources the resources
 * @param resourceTemplates the resource templates
 * @param fetchedAt when the lists were read
 */
public record TargetCatalog(String target, ObjectNode serverInfo, ObjectNode capabilities, String instructions,
		List<ObjectNode> tools, List<ObjectNode> prompts, List<ObjectNode> resources,
		List<ObjectNode> resourceTemplates, Instant fetchedAt) {

	public TargetCatalog {
		tools = List.copyOf(tools);
		prompts = List.copyOf(prompts);
		resources = List.copyOf(resources);
		resourceTemplates = List.copyOf(resourceTemplates);
	}

	public boolean hasCapability(String name) {
		return this.capabilities.has(name);
	}

	/** Whether a capability has a flag set, as {@code resources.subscribe}. */
	public boolean hasCapabilityFlag(String name, String flag) {
		return this.capabilities.path(name).path(flag).asBoolean(false);
	}

	/** This catalog with only the tools a predicate admits. */
	public TargetCatalog withTools(Predicate<ObjectNode> admitted) {
		List<ObjectNode> kept = this.tools.stream().filter(admitted).toList();
		if (kept.size() == this.tools.size()) {
			return this;
		}
		return new TargetCatalog(this.target, this.serverInfo, this.capabilities, this.instructions, kept, this.prompts,
				this.resources, this.resourceTemplates, this.fetchedAt);
	}

	/** Whether the lists are the same as another catalog's, whenever they were read. */
	public boolean sameContentAs(TargetCatalog other) {
		return other != null && this.tools.equals(other.tools) && this.prompts.equals(other.prompts)
				&& this.resources.equals(other.resources) && this.resourceTemplates.equals(other.resourceTemplates)
				&& this.capabilities.equals(other.capabilities);
	}

}
