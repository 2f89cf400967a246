package dev.atrium.mcp.federation;

/**
 * A name as its target knows it.
 *
 * @param target the target's name
 * @param name the tool, prompt or resource name (or URI) on that target
 */
public record QualifiedName(String target, String name) {

}
