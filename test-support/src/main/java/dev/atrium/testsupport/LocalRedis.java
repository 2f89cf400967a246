package dev.atrium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;

import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary embedded-redis ships) on a free loopback port,
 * without persistence, stopped on {@link #close()}.
 */
public final class LocalRedis implements AutoCloseable {

	private final RedisServer server;

	private final int port;

	private LocalRedis(RedisServer server, int port) {
		this.server = server;
		this.port = port;
	}

	public static LocalRedis start() {
		return start(LoopbackPorts.free());
	}

	/** A server on a given port, e.g. to bring one back where another stopped. */
	public static LocalRedis start(int port) {
		try {
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("save \"\"")
				.setting("appendonly no")
				.build();
			server.start();
			return new LocalRedis(server, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start redis-server on port " + port, ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** {@code redis://127.0.0.1:{port}}. */
	public String uri() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Stops the server, e.g. to see how its clients behave when it is gone. */
	@Override
	public void close() {
		try {
			this.server.stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
