package dev.atrium.mcp.transport;

import java.util.Objects;

import dev.atrium.mcp.federation.CatalogView;

/**
 * The caller of an MCP request as the transport sees it: an id that sessions are bound
 * to, and the part of the catalog it may see and reach.
 *
 * @param id a stable id of the authenticated caller (e.g. issuer, subject and tenant), or
 * {@code null} for an anonymous one
 * @param view what of the scenario it may see and reach
 */
public record McpCaller(String id, CatalogView view) {

	/**
	 * Exchange attribute holding the caller's tenant, when it has one, for spans and
	 * logs.
	 */
	public static final String TENANT_ATTRIBUTE = McpCaller.class.getName() + ".tenant";

	/** A caller without a token, who sees everything. */
	public static final McpCaller ANONYMOUS = new McpCaller(null, CatalogView.ALL);

	public McpCaller {
		Objects.requireNonNull(view, "view");
	}

}
