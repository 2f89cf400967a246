package dev.atrium.mcp.federation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The log level this replica last set on each upstream session it opened for sessionless
 * callers. A 2026-07-28 client says its level in every request
 * ({@code _meta.io.modelcontextprotocol/logLevel}); an older target learns it from
 * {@code logging/setLevel} on its session, sent only when the level changes. Bounded,
 * least recently used first out: a forgotten session is told its level again.
 */
final class UpstreamLogLevels {

	private final Map<String, String> levels;

	UpstreamLogLevels(int capacity) {
		this.levels = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
				return size() > capacity;
			}
		};
	}

	/**
	 * Records the level for the session.
	 * @return whether it differs from the one set last, so it has to be sent
	 */
	synchronized boolean changes(String session, String level) {
		return !Objects.equals(this.levels.put(session, level), level);
	}

	/** The level could not be set: it is sent again with the next request. */
	synchronized void forget(String session, String level) {
		this.levels.remove(session, level);
	}

}
