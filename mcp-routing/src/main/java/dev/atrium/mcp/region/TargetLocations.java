package dev.atrium.mcp.region;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.atrium.mcp.client.StreamableHttpClient;

/**
 * Where one target is served from: one endpoint, or endpoints in several regions, in the
 * order of their priorities.
 */
public final class TargetLocations {

	private final String target;

	private final List<TargetLocation> locations;

	/**
	 * @param target the target's name
	 * @param locations its endpoints: one without a region, or one per region
	 */
	public TargetLocations(String target, List<TargetLocation> locations) {
		this.target = Objects.requireNonNull(target, "target");
		if (locations.isEmpty()) {
			throw new IllegalArgumentException("Target '" + target + "' needs at least one location");
		}
		boolean placed = locations.get(0).region() != null;
		if (locations.stream().anyMatch((location) -> (location.region() != null) != placed)
				|| (!placed && locations.size() > 1)) {
			throw new IllegalArgumentException(
					"Target '" + target + "' has either one location without a region or locations in regions");
		}
		this.locations = locations.stream()
			.sorted(Comparator.comparingInt(TargetLocation::priority)
				.thenComparing(TargetLocation::region, Comparator.nullsFirst(Comparator.naturalOrder())))
			.toList();
	}

	/** A target served from one place. */
	public static TargetLocations of(StreamableHttpClient client) {
		return new TargetLocations(client.endpoint().name(), List.of(new TargetLocation(null, 0, client)));
	}

	public String target() {
		return this.target;
	}

	/** Every location, the preferred first. */
	public List<TargetLocation> all() {
		return this.locations;
	}

	/** The preferred location, where the target is reached while all is well. */
	public TargetLocation primary() {
		return this.locations.get(0);
	}

	/** Whether the target's endpoints are placed in regions. */
	public boolean regional() {
		return primary().region() != null;
	}

	/** The regions of its endpoints, the preferred first; empty for one place. */
	public Set<String> regions() {
		Set<String> regions = new LinkedHashSet<>();
		this.locations.stream().map(TargetLocation::region).filter(Objects::nonNull).forEach(regions::add);
		return regions;
	}

	/**
	 * The location in a region; {@code null} finds the location of a target served from
	 * one place.
	 */
	public Optional<TargetLocation> in(String region) {
		return this.locations.stream().filter((location) -> Objects.equals(location.region(), region)).findFirst();
	}

	@Override
	public String toString() {
		return "TargetLocations[" + this.target + " "
				+ this.locations.stream()
					.map((location) -> location.region() + "=" + location.client().endpoint().uri())
					.toList()
				+ "]";
	}

}
