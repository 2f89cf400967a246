package dev.atrium.mcp.federation;

/**
 * A name as its target knows it.
 *
 * @param target the target's name
 * @param name the tool, prompt or resource name (or URI) on that target
 */
public record QualifiedName(String target, String name) {

	/**
	 * Records combine their fields' hashes as {@code 31 * a + b}, which makes regular
	 * names ({@code t001}/{@code tool_001}) collide by the thousand, and the immutable
	 * maps of a catalog probe linearly: a big odd multiplier keeps them apart.
	 */
	@Override
	public int hashCode() {
		int hash = this.target.hashCode() * 0x9E3779B9 + this.name.hashCode();
		return hash ^ (hash >>> 16);
	}

}
