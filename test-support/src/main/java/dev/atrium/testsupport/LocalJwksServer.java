package dev.atrium.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server on a free loopback port that plays an issuer's public endpoints: JWKS
 * documents, OIDC and RFC 8414 discovery documents, and any JSON a test wants at a path.
 *
 * <p>
 * It counts every request per path, failed and unknown ones included, so a test can
 * assert how often the gateway fetched a JWKS ("a flood of unknown kids causes at most
 * one refetch per 30 s") or that it never called an attacker's host at all. A path can be
 * made to fail (an error status, a hang, a dropped connection, a non-JSON body) for as
 * long as the test wants or for a number of requests, to check that the gateway fails
 * closed.
 *
 * <p>
 * Paths are matched exactly on the raw request path; the query is ignored. Unknown paths
 * answer 404. The JDK's {@code com.sun.net.httpserver} serves, one thread per exchange,
 * so a hanging path does not hold the others. {@link #close()} releases hanging requests
 * and stops the server at once.
 */
public final class LocalJwksServer implements AutoCloseable {

	private static final String GARBAGE = "<html><body>502 Bad Gateway</body></html>";

	private final HttpServer server;

	private final ExecutorService executor;

	private final Clock clock;

	private final CountDownLatch closing = new CountDownLatch(1);

	private final Map<String, Supplier<ServedResponse>> routes = new ConcurrentHashMap<>();

	private final Map<String, List<SigningKey>> keySets = new ConcurrentHashMap<>();

	private final Map<String, FailureState> failures = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private final AtomicInteger total = new AtomicInteger();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final Lock arrivalLock = new ReentrantLock();

	private final Condition arrived = this.arrivalLock.newCondition();

	private LocalJwksServer(Clock clock) throws IOException {
		this.clock = clock;
		// 127.0.0.1 literally: getLoopbackAddress() may be ::1 when IPv6 is
		// preferred, and issuer URLs must not change with the JVM's settings.
		InetAddress loopback = InetAddress.getByAddress("127.0.0.1", new byte[] { 127, 0, 0, 1 });
		this.server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
		// Platform daemon threads, one per exchange: a hanging path holds its own thread
		// only, and a test that forgets close() does not keep the JVM alive.
		this.executor = Executors
			.newCachedThreadPool(Thread.ofPlatform().name("local-jwks-server-", 0).daemon().factory());
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/**
	 * Starts a server on a free port of 127.0.0.1, timestamping requests with the system
	 * clock.
	 * @return the running server
	 */
	public static LocalJwksServer start() {
		return start(Clock.systemUTC());
	}

	/**
	 * Starts a server on a free port of 127.0.0.1.
	 * @param clock the clock that timestamps {@link #requests() recorded requests}
	 * @return the running server
	 */
	public static LocalJwksServer start(Clock clock) {
		try {
			return new LocalJwksServer(clock);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * The server's origin, {@code http://127.0.0.1:{port}}.
	 * @return the origin, without a trailing slash
	 */
	public String origin() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * The absolute URI of a path on this server.
	 * @param path a path starting with {@code /}
	 * @return the URI
	 */
	public URI uri(String path) {
		return URI.create(origin() + checkPath(path));
	}

	/**
	 * Serves fixed JSON at a path.
	 * @param path the path
	 * @param json the JSON text
	 */
	public void serveJson(String path, String json) {
		serve(path, () -> ServedResponse.json(json));
	}

	/**
	 * Serves JSON computed on each request at a path.
	 * @param path the path
	 * @param json the supplier of the JSON text
	 */
	public void serveJson(String path, Supplier<String> json) {
		serve(path, () -> ServedResponse.json(json.get()));
	}

	/**
	 * Serves an arbitrary response, computed on each request, at a path.
	 * @param path the path
	 * @param response the supplier of the response
	 */
	public void serve(String path, Supplier<ServedResponse> response) {
		this.routes.put(checkPath(path), response);
	}

	/**
	 * Stops serving a path (it answers 404 from now on) and forgets its key set.
	 * @param path the path
	 */
	public void stopServing(String path) {
		this.routes.remove(path);
		this.keySets.remove(path);
	}

	/**
	 * Serves a JWKS document, {@code {"keys":[...]}}, at a path, holding the given public
	 * keys in order. The set can change later with {@link #addKey} and
	 * {@link #removeKey}, and each request sees the set as it then stands.
	 * @param path the path
	 * @param keys the keys, whose public halves are published
	 */
	public void serveJwks(String path, SigningKey... keys) {
		List<SigningKey> set = new CopyOnWriteArrayList<>(keys);
		this.keySets.put(checkPath(path), set);
		serveJson(path, () -> jwksJson(set));
	}

	/**
	 * Publishes one more key at a JWKS path, last in the set.
	 * @param path a path served by {@link #serveJwks}
	 * @param key the key
	 */
	public void addKey(String path, SigningKey key) {
		keySet(path).add(key);
	}

	/**
	 * Stops publishing a key at a JWKS path.
	 * @param path a path served by {@link #serveJwks}
	 * @param kid the key id
	 * @return whether a key was removed
	 */
	public boolean removeKey(String path, String kid) {
		return keySet(path).removeIf((key) -> key.kid().equals(kid));
	}

	/**
	 * The key ids a JWKS path publishes, in order.
	 * @param path a path served by {@link #serveJwks}
	 * @return the key ids
	 */
	public List<String> keyIds(String path) {
		return keySet(path).stream().map(SigningKey::kid).toList();
	}

	/**
	 * Makes a path fail on every request until {@link #heal(String)}.
	 * @param path the path (need not be served)
	 * @param failure how it fails
	 */
	public void fail(String path, EndpointFailure failure) {
		this.failures.put(checkPath(path), new FailureState(failure, -1));
	}

	/**
	 * Makes a path fail on its next {@code times} requests, then answer normally again.
	 * @param path the path
	 * @param failure how it fails
	 * @param times how many requests fail
	 */
	public void fail(String path, EndpointFailure failure, int times) {
		if (times < 1) {
			throw new IllegalArgumentException("times must be positive: " + times);
		}
		this.failures.put(checkPath(path), new FailureState(failure, times));
	}

	/**
	 * Makes a path answer normally again.
	 * @param path the path
	 */
	public void heal(String path) {
		this.failures.remove(path);
	}

	/**
	 * How many requests a path received since the start or the last
	 * {@link #resetCounts()}, whatever was answered.
	 * @param path the path
	 * @return the count
	 */
	public int requestCount(String path) {
		AtomicInteger count = this.counts.get(path);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * How many requests the server received, on any path.
	 * @return the count
	 */
	public int totalRequestCount() {
		return this.total.get();
	}

	/**
	 * Waits until a path has received at least {@code count} requests, for fetches the
	 * gateway makes in the background (a refresh-ahead of its JWKS cache, say). Returns
	 * as soon as the count is reached, without polling.
	 * @param path the path
	 * @param count the count to wait for
	 * @param timeout how long to wait at most
	 * @return whether the count was reached in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitRequestCount(String path, int count, Duration timeout) throws InterruptedException {
		long left = timeout.toNanos();
		this.arrivalLock.lock();
		try {
			while (requestCount(path) < count) {
				if (left <= 0) {
					return false;
				}
				left = this.arrived.awaitNanos(left);
			}
			return true;
		}
		finally {
			this.arrivalLock.unlock();
		}
	}

	/**
	 * The requests received, in order of arrival.
	 * @return an unmodifiable snapshot
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Sets every request count to zero and forgets the recorded requests.
	 */
	public void resetCounts() {
		this.counts.clear();
		this.total.set(0);
		this.requests.clear();
	}

	/**
	 * Stops the server at once, releasing hanging requests. Idempotent.
	 */
	@Override
	public void close() {
		this.closing.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) {
		String path = exchange.getRequestURI().getRawPath();
		record(exchange, path);
		try {
			EndpointFailure failure = takeFailure(path);
			if (failure instanceof EndpointFailure.Disconnect) {
				// Closing before the response headers makes the JDK server drop the
				// connection: the client sees an empty reply, not an HTTP answer.
				exchange.close();
				return;
			}
			if (failure instanceof EndpointFailure.Status(int status)) {
				respond(exchange, new ServedResponse(status, "application/json",
						"{\"error\":\"local failure " + status + "\"}", Map.of()));
				return;
			}
			if (failure instanceof EndpointFailure.Garbage) {
				respond(exchange, new ServedResponse(200, "text/html", GARBAGE, Map.of()));
				return;
			}
			if (failure instanceof EndpointFailure.Hang(var delay)) {
				// Waiting on the closing latch rather than sleeping lets close() end the
				// hang.
				if (this.closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
					exchange.close();
					return;
				}
			}
			Supplier<ServedResponse> route = this.routes.get(path);
			respond(exchange, (route != null) ? route.get()
					: new ServedResponse(404, "application/json", "{\"error\":\"not found\"}", Map.of()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			exchange.close();
		}
		catch (IOException | RuntimeException ex) {
			// The client went away (timeouts do that) or a supplier failed: nothing to
			// tell anyone, the request is counted already.
			exchange.close();
		}
	}

	private void record(HttpExchange exchange, String path) {
		this.total.incrementAndGet();
		this.counts.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
		Map<String, List<String>> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		this.requests.add(new RecordedRequest(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
				headers, this.clock.instant()));
		this.arrivalLock.lock();
		try {
			this.arrived.signalAll();
		}
		finally {
			this.arrivalLock.unlock();
		}
	}

	private EndpointFailure takeFailure(String path) {
		FailureState[] taken = new FailureState[1];
		this.failures.computeIfPresent(path, (key, state) -> {
			taken[0] = state;
			if (state.remaining() < 0) {
				return state;
			}
			return (state.remaining() > 1) ? new FailureState(state.failure(), state.remaining() - 1) : null;
		});
		return (taken[0] != null) ? taken[0].failure() : null;
	}

	private static void respond(HttpExchange exchange, ServedResponse response) throws IOException {
		byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", response.contentType());
		response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
		boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
		exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
		if (!head) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
		exchange.close();
	}

	private List<SigningKey> keySet(String path) {
		List<SigningKey> set = this.keySets.get(path);
		if (set == null) {
			throw new IllegalArgumentException("No JWKS is served at " + path);
		}
		return set;
	}

	private static String jwksJson(List<SigningKey> keys) {
		List<Map<String, Object>> members = new ArrayList<>();
		for (SigningKey key : keys) {
			members.add(key.publicJwkMembers());
		}
		return Json.write(Collections.singletonMap("keys", members));
	}

	private static String checkPath(String path) {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("A path starts with '/': " + path);
		}
		return path;
	}

	private record FailureState(EndpointFailure failure, int remaining) {

	}

}
