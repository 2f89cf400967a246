package dev.atrium.mcp.federation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.atrium.mcp.jsonrpc.JsonRpcError;
import dev.atrium.mcp.jsonrpc.JsonRpcException;

/**
 * The opaque cursor of a merged list: which version of the catalog it pages through and
 * where the next page starts.
 *
 * @param fingerprint the catalog version the cursor belongs to
 * @param offset index of the first item of the next page
 */
record PageCursor(String fingerprint, int offset) {

	String encode() {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((this.fingerprint + ":" + this.offset).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Decodes a cursor a client sent back.
	 * @throws JsonRpcException {@code -32602} when the cursor is not Atrium's or the list
	 * changed since it was issued
	 */
	static PageCursor decode(String cursor, String currentFingerprint) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int colon = text.lastIndexOf(':');
			PageCursor decoded = new PageCursor(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
			if (decoded.offset < 0) {
				throw new IllegalArgumentException("negative offset");
			}
			if (!decoded.fingerprint.equals(currentFingerprint)) {
				throw new JsonRpcException(JsonRpcError.invalidParams(
						"Invalid cursor: the list changed since this cursor was issued, list again from the start"));
			}
			return decoded;
		}
		catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
			throw new JsonRpcException(JsonRpcError.invalidParams("Invalid cursor"));
		}
	}

}
