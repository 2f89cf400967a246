package dev.atrium.mcp.catalog;

import java.time.Instant;

/**
 * What Atrium last learned of one target.
 *
 * @param target the target's name
 * @param catalog the last catalog read successfully, or {@code null} if none was
 * @param failure why the last refresh failed, or {@code null} if it succeeded
 * @param checkedAt when the last refresh ended
 */
public record TargetHealth(String target, TargetCatalog catalog, String failure, Instant checkedAt) {

	public static TargetHealth unknown(String target) {
		return new TargetHealth(target, null, "not checked yet", null);
	}

	public boolean up() {
		return this.failure == null;
	}

}
