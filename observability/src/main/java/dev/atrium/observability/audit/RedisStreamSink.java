package dev.atrium.observability.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * Delivers audit events to a Redis stream, one entry per event with the field
 * {@code event} holding its JSON; consumers read it with {@code XREAD} or consumer
 * groups. A batch is pipelined on one connection, so entries keep the journal's order.
 */
public final class RedisStreamSink implements AuditSink {

	private final RedisClient client;

	private final RedisURI uri;

	private final String stream;

	private final long maxLength;

	private final Duration timeout;

	private StatefulRedisConnection<String, String> connection;

	/**
	 * @param uri the Redis URI
	 * @param stream the stream's key
	 * @param maxLength trims the stream to about this many entries; 0 keeps everything
	 * @param timeout the longest wait for one batch
	 */
	public RedisStreamSink(String uri, String stream, long maxLength, Duration timeout) {
		this.client = RedisClient.create();
		// While disconnected, fail at once: the shipper retries, the journal keeps the
		// events.
		this.client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		this.uri = RedisURI.create(uri);
		this.uri.setTimeout(timeout);
		this.stream = stream;
		this.maxLength = maxLength;
		this.timeout = timeout;
	}

	@Override
	public void send(List<String> events) throws Exception {
		RedisAsyncCommands<String, String> commands = connection().async();
		XAddArgs args = (this.maxLength > 0) ? XAddArgs.Builder.maxlen(this.maxLength).approximateTrimming()
				: new XAddArgs();
		List<RedisFuture<String>> added = new ArrayList<>(events.size());
		for (String event : events) {
			added.add(commands.xadd(this.stream, args, Map.of("event", event)));
		}
		if (!LettuceFutures.awaitAll(this.timeout.toMillis(), TimeUnit.MILLISECONDS,
				added.toArray(RedisFuture[]::new))) {
			throw new IllegalStateException(
					"Redis did not confirm " + events.size() + " audit events within " + this.timeout);
		}
		for (RedisFuture<String> future : added) {
			// Throws the first failure, so that the whole batch is sent again.
			future.get();
		}
	}

	private synchronized StatefulRedisConnection<String, String> connection() {
		if (this.connection == null || !this.connection.isOpen()) {
			this.connection = this.client.connect(this.uri);
		}
		return this.connection;
	}

	@Override
	public synchronized void close() {
		if (this.connection != null) {
			this.connection.close();
		}
		this.client.shutdown();
	}

	@Override
	public String toString() {
		return "RedisStreamSink[" + this.uri.getHost() + ":" + this.uri.getPort() + "/" + this.stream + "]";
	}

}
