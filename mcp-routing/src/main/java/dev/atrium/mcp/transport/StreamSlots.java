package dev.atrium.mcp.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.atrium.mcp.jsonrpc.JsonRpcError;

/**
 * How many SSE streams each client holds open, capped: a stream holds a connection to the
 * client and one to a target for as long as it lasts, so one client must not hold them
 * all. A client with no open stream has no entry, so the map grows with the clients
 * streaming now, not with every client ever seen.
 */
public final class StreamSlots {

	/**
	 * When a refused client may try again: streams last seconds to minutes, and sooner
	 * than that a retry would most likely be refused too.
	 */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final int maxPerClient;

	private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

	/**
	 * @param maxPerClient how many streams one client may hold open at once
	 */
	public StreamSlots(int maxPerClient) {
		if (maxPerClient < 1) {
			throw new IllegalArgumentException("max streams per client must be > 0, was " + maxPerClient);
		}
		this.maxPerClient = maxPerClient;
	}

	/**
	 * Who holds streams: the authenticated caller, or for anonymous callers the address
	 * they connect from (the client's own behind a proxy only with forwarded headers
	 * trusted).
	 * @param callerId the caller's id, {@code null} when anonymous
	 * @param remoteAddress where the request comes from, {@code null} if unknown
	 */
	public static String client(String callerId, InetSocketAddress remoteAddress) {
		if (callerId != null) {
			return "caller " + callerId;
		}
		if (remoteAddress == null) {
			return "address unknown";
		}
		return "address " + ((remoteAddress.getAddress() != null) ? remoteAddress.getAddress().getHostAddress()
				: remoteAddress.getHostString());
	}

	public int maxPerClient() {
		return this.maxPerClient;
	}

	/**
	 * Takes a slot for one more stream of the client, unless it holds the most already.
	 * @param client who streams: a caller id, or an address for anonymous callers
	 * @return the slot, to be released once when the stream ends; empty at the cap
	 */
	public Optional<Slot> tryAcquire(String client) {
		boolean[] granted = new boolean[1];
		this.open.compute(client, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.maxPerClient) {
				return count;
			}
			granted[0] = true;
			return current + 1;
		});
		return granted[0] ? Optional.of(new Slot(client)) : Optional.empty();
	}

	/** What a client at the cap is told, with 429 and {@link #RETRY_AFTER}. */
	public JsonRpcError refusal() {
		return JsonRpcError.invalidRequest("Too Many Requests: this client has " + this.maxPerClient
				+ " SSE streams open, the most allowed; retry when one ends");
	}

	/** How many streams the client holds open now. */
	public int open(String client) {
		return this.open.getOrDefault(client, 0);
	}

	/** How many streams all clients hold open now. */
	public int total() {
		return this.open.values().stream().mapToInt(Integer::intValue).sum();
	}

	private void release(String client) {
		this.open.computeIfPresent(client, (key, count) -> (count > 1) ? count - 1 : null);
	}

	@Override
	public String toString() {
		return "StreamSlots[maxPerClient=" + this.maxPerClient + ", open=" + total() + "]";
	}

	/**
	 * One client's hold on one stream. Releasing twice frees one slot: whichever of the
	 * paths that can end a stream comes first frees it.
	 */
	public final class Slot {

		private final String client;

		private final AtomicBoolean released = new AtomicBoolean();

		private Slot(String client) {
			this.client = client;
		}

		public void release() {
			if (this.released.compareAndSet(false, true)) {
				StreamSlots.this.release(this.client);
			}
		}

		@Override
		public String toString() {
			return "Slot[client=" + this.client + ", released=" + this.released.get() + "]";
		}

	}

}
