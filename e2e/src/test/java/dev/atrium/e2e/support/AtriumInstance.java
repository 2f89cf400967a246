package dev.atrium.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.atrium.gateway.AtriumApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * A real Atrium, started in this JVM on a free loopback port with the given properties,
 * and stopped on {@link #close()}. Several can run side by side, as replicas.
 */
public final class AtriumInstance implements AutoCloseable {

	/**
	 * The key ring replicas share, so that a session opened on one opens on the others.
	 */
	public static final Map<String, String> SHARED_SESSION_KEYS = Map.of("atrium.session.keys[0].id", "e2e",
			"atrium.session.keys[0].secret", "e2e-secret-shared-by-all-replicas-0123456789");

	private final ConfigurableApplicationContext context;

	private final int port;

	private AtriumInstance(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/**
	 * Starts Atrium with its defaults (the demo target behind the four default scenarios)
	 * and the given properties on top.
	 */
	public static AtriumInstance start(Map<String, String> properties) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("server.port", "0");
		all.put("server.address", "127.0.0.1");
		all.putAll(SHARED_SESSION_KEYS);
		// The default scenarios without authentication, unless a test says otherwise.
		for (String scenario : List.of("internal", "consumer", "enterprise", "third-party")) {
			all.put("atrium.scenarios." + scenario + ".issuers", "");
			all.put("atrium.scenarios." + scenario + ".anonymous", "true");
		}
		// The npm peers answer slowly while a loaded CI machine starts them.
		all.put("atrium.federation.catalog-timeout", "30s");
		// Each instance its own audit journal: one directory holds one journal.
		all.put("atrium.audit.directory", temporaryDirectory().toString());
		all.putAll(properties);
		List<String> args = new ArrayList<>();
		all.forEach((key, value) -> args.add("--" + key + "=" + value));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(AtriumApplication.class)
			.web(WebApplicationType.REACTIVE)
			.initializers(AtriumInstance::ownNettyResources)
			.run(args.toArray(String[]::new));
		return new AtriumInstance(context);
	}

	/**
	 * By default every Boot application in a JVM shares Reactor Netty's global event
	 * loops and disposes them when it closes, which would stop the other replicas.
	 */
	private static void ownNettyResources(ConfigurableApplicationContext context) {
		((GenericApplicationContext) context).registerBean("reactorResourceFactory", ReactorResourceFactory.class,
				() -> {
					ReactorResourceFactory resources = new ReactorResourceFactory();
					resources.setUseGlobalResources(false);
					return resources;
				});
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("atrium-e2e-audit");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Where this instance's audit journal is. */
	public Path auditDirectory() {
		return Path.of(this.context.getEnvironment().getProperty("atrium.audit.directory"));
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The MCP endpoint of a scenario path, e.g. {@code /internal}. */
	public String mcpUrl(String scenarioPath) {
		return baseUrl() + scenarioPath + "/mcp";
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public void close() {
		Path audit = auditDirectory();
		this.context.close();
		// The journal is closed with the context; its temporary directory goes too.
		try (Stream<Path> paths = Files.walk(audit)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// A leftover temporary directory is harmless.
		}
	}

}
