package dev.atrium.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A small REST API on a free loopback port, described by {@link #spec()}: pets to list,
 * add, show and delete under {@code /v1}. Pet {@code 1} exists; pet {@code boom} fails
 * with 500; pet {@code slow} never answers. It records every request it receives.
 */
public final class LocalPetsApi implements AutoCloseable {

	private final DisposableServer server;

	private final List<Seen> seen = new CopyOnWriteArrayList<>();

	private LocalPetsApi() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	public static LocalPetsApi start() {
		return new LocalPetsApi();
	}

	/** The API's base URL, e.g. {@code http://127.0.0.1:41234/v1}. */
	public String url() {
		return "http://127.0.0.1:" + this.server.port() + "/v1";
	}

	/** The OpenAPI document of the API, as a file; its server is not this one. */
	public static Path spec() {
		try (InputStream in = LocalPetsApi.class.getResourceAsStream("/openapi/pets.yaml")) {
			Path file = Files.createTempFile("pets", ".yaml");
			file.toFile().deleteOnExit();
			Files.write(file, in.readAllBytes());
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The requests received so far, oldest first. */
	public List<Seen> seen() {
		return List.copyOf(this.seen);
	}

	public void reset() {
		this.seen.clear();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			Map<String, String> headers = request.requestHeaders()
				.entries()
				.stream()
				.collect(Collectors.toMap((entry) -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
						(first, second) -> first + "," + second));
			this.seen.add(new Seen(request.method().name(), request.uri(), headers, body));
			return answer(request.method().name(), java.net.URI.create(request.uri()).getRawPath(), body, response);
		});
	}

	private Mono<Void> answer(String method, String path, String body, HttpServerResponse response) {
		if (path.equals("/v1/pets") && method.equals("GET")) {
			return json(response, 200, """
					{"pets":[{"id":"1","name":"Rex","kind":"dog"}]}""");
		}
		if (path.equals("/v1/pets") && method.equals("POST")) {
			return json(response, 201, body.replaceFirst("\\{", "{\"id\":\"2\","));
		}
		if (path.equals("/v1/pets/slow")) {
			return Mono.never();
		}
		if (path.equals("/v1/pets/boom")) {
			return response.status(500).sendString(Mono.just("kaboom")).then();
		}
		if (path.equals("/v1/pets/1") && method.equals("GET")) {
			return json(response, 200, """
					{"id":"1","name":"Rex","kind":"dog"}""");
		}
		if (path.startsWith("/v1/pets/") && method.equals("DELETE")) {
			return response.status(204).send();
		}
		return json(response, 404, "{\"error\":\"no such pet\"}");
	}

	private static Mono<Void> json(HttpServerResponse response, int status, String body) {
		return response.status(status).header("Content-Type", "application/json").sendString(Mono.just(body)).then();
	}

	/**
	 * A request the API received.
	 *
	 * @param method the HTTP method
	 * @param uri the raw request URI, with its query
	 * @param headers its headers, names in lower case
	 * @param body its body, empty for none
	 */
	public record Seen(String method, String uri, Map<String, String> headers, String body) {

	}

}
