package dev.atrium.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** nginx as the plain reverse proxy of the comparison. */
final class Nginx {

	static final String MISSING = "nginx is not installed, and the benchmarks compare Atrium with it. "
			+ "Install it (Debian: apt-get install nginx-light; .ci/run does this) and run again.";

	private Nginx() {
	}

	/** The nginx binary on the PATH or in the sbin directories, which PATH may lack. */
	static String binary() {
		List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
		dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"));
		return dirs.stream()
			.filter((dir) -> !dir.isBlank())
			.map((dir) -> Path.of(dir, "nginx"))
			.filter(Files::isExecutable)
			.map(Path::toString)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(MISSING));
	}

	/** {@code nginx -v}, e.g. {@code nginx/1.22.1}. */
	static String version() {
		try {
			Process process = new ProcessBuilder(binary(), "-v").redirectErrorStream(true).start();
			String text = new String(process.getInputStream().readAllBytes()).trim();
			process.waitFor(5, TimeUnit.SECONDS);
			return text.replace("nginx version: ", "");
		}
		catch (IOException ex) {
			return "unknown (" + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	/**
	 * A configuration that needs no root-owned path: everything in {@code dir}, in the
	 * foreground, on loopback, no access log, HTTP/1.1 with keep-alive to the upstream
	 * and no buffering (SSE passes through as it comes).
	 */
	static String config(Path dir, int port, int upstreamPort) {
		String temp = dir.resolve("temp").toString();
		return """
				daemon off;
				worker_processes auto;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log warn;
				events {
				    worker_connections 16384;
				}
				http {
				    access_log off;
				    client_body_temp_path %2$s/client;
				    proxy_temp_path %2$s/proxy;
				    fastcgi_temp_path %2$s/fastcgi;
				    uwsgi_temp_path %2$s/uwsgi;
				    scgi_temp_path %2$s/scgi;
				    keepalive_requests 1000000;
				    upstream mcp {
				        server 127.0.0.1:%4$d;
				        keepalive 128;
				    }
				    server {
				        listen 127.0.0.1:%3$d;
				        location / {
				            proxy_pass http://mcp;
				            proxy_http_version 1.1;
				            proxy_set_header Connection "";
				            proxy_buffering off;
				        }
				    }
				}
				""".formatted(dir, temp, port, upstreamPort);
	}

}
