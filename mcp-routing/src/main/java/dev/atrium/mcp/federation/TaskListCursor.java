package dev.atrium.mcp.federation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cursor of a merged {@code tasks/list}: the base64url of the targets that have more
 * tasks and each one's own cursor. Without a cursor, every target that lists tasks is
 * asked for its first page.
 */
final class TaskListCursor {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private TaskListCursor() {
	}

	static String encode(Map<String, String> cursors) {
		ObjectNode node = JSON.createObjectNode();
		cursors.forEach(node::put);
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The targets to ask and the cursor for each ({@code null}: the first page); empty
	 * for a cursor Atrium did not give, or one that names a target that no longer lists
	 * tasks for this caller.
	 */
	static Optional<Map<String, String>> decode(JsonNode cursor, List<String> listing) {
		Map<String, String> cursors = new LinkedHashMap<>();
		if (cursor == null || cursor.isNull()) {
			listing.forEach((target) -> cursors.put(target, null));
			return Optional.of(cursors);
		}
		if (!cursor.isString()) {
			return Optional.empty();
		}
		try {
			JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor.asString()));
			if (!node.isObject()) {
				return Optional.empty();
			}
			for (var entry : node.properties()) {
				if (!listing.contains(entry.getKey()) || !entry.getValue().isString()) {
					return Optional.empty();
				}
				cursors.put(entry.getKey(), entry.getValue().asString());
			}
			return Optional.of(cursors);
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return Optional.empty();
		}
	}

}
