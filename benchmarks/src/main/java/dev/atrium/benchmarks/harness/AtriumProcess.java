package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A running Atrium and what the harness reads from it. */
final class AtriumProcess implements AutoCloseable {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final ChildProcess process;

	private final int port;

	AtriumProcess(ChildProcess process, int port) {
		this.process = process;
		this.port = port;
	}

	URI mcpUri(String scenarioPath) {
		return URI.create("http://127.0.0.1:" + this.port + scenarioPath + "/mcp");
	}

	/** A Prometheus line proves that the metrics are recorded on the path. */
	boolean metricsRecorded() {
		return get("/actuator/prometheus").lines()
			.anyMatch((line) -> line.startsWith("atrium_mcp_requests_seconds_count"));
	}

	/** Used heap as Micrometer reports it, in bytes. */
	long heapUsedBytes() {
		JsonNode metric = mapper.readTree(get("/actuator/metrics/jvm.memory.used?tag=area:heap"));
		return (long) metric.path("measurements").path(0).path("value").asDouble();
	}

	/** A full collection, so that the heap that follows holds only live objects. */
	void collectGarbage() {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		try {
			Process gc = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(this.process.pid()), "GC.run"))
				.redirectErrorStream(true)
				.start();
			gc.getInputStream().readAllBytes();
			if (!gc.waitFor(30, TimeUnit.SECONDS)) {
				gc.destroyForcibly();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("jcmd GC.run failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** When each of the given targets' catalog was last read. */
	Instant oldestCatalogCheck(List<String> targets) {
		JsonNode details = mapper.readTree(get("/actuator/health")).path("components").path("targets").path("details");
		Instant oldest = Instant.MAX;
		for (String target : targets) {
			String checked = details.path(target).path("checkedAt").asString(null);
			Instant at = (checked != null) ? Instant.parse(checked) : Instant.MIN;
			oldest = at.isBefore(oldest) ? at : oldest;
		}
		return oldest;
	}

	/** Memory now, after a full collection. */
	Memory memory() {
		collectGarbage();
		return new Memory(this.process.residentBytes(), heapUsedBytes());
	}

	private String get(String path) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(30))
				.build();
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Atrium did not answer " + path + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	@Override
	public void close() {
		this.process.close();
	}

	/** Resident set size and used heap, in bytes. */
	record Memory(long rss, long heap) {

	}

}
