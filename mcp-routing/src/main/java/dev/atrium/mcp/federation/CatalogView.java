package dev.atrium.mcp.federation;

import tools.jackson.databind.node.ObjectNode;

/**
 * What one caller may see and reach of a scenario: which targets (tenant isolation,
 * permission level {@code none}) and which of their tools (permission levels). Prompts
 * and resources follow their target. Whatever a view hides is, for its caller, not there:
 * it is not listed, and naming it gets the same answer as naming nothing.
 */
public interface CatalogView {

	/** Everything: scenarios without tenants or permissions. */
	CatalogView ALL = new CatalogView() {

		@Override
		public String key() {
			return "*";
		}

		@Override
		public boolean admitsTarget(String target) {
			return true;
		}

		@Override
		public boolean admitsTool(String target, ObjectNode tool) {
			return true;
		}

		@Override
		public String toString() {
			return "CatalogView.ALL";
		}

	};

	/**
	 * Callers whose views have equal keys see the same catalog, which is built once for
	 * all of them.
	 */
	String key();

	boolean admitsTarget(String target);

	/**
	 * Whether a tool of an admitted target is shown and may be called.
	 * @param tool the tool as its target lists it (its own name, its annotations)
	 */
	boolean admitsTool(String target, ObjectNode tool);

	/**
	 * Whether the caller's calls may go to a target's endpoint in a region (data
	 * residency); every region unless a view says otherwise.
	 */
	default boolean admitsRegion(String target, String region) {
		return true;
	}

}
