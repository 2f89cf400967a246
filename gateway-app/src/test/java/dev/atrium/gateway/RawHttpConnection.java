package dev.atrium.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection on a plain socket, for what well-behaved clients never do:
 * headers without an end, chunked bodies that never finish, bytes that trickle in. Reads
 * give up after the timeout passed to {@link #open}, so a server that hangs fails the
 * test instead of blocking it.
 */
public final class RawHttpConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private RawHttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	/** Connects to the loopback port; reads wait at most {@code readTimeout}. */
	public static RawHttpConnection open(int port, Duration readTimeout) {
		try {
			Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
			socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
			socket.setTcpNoDelay(true);
			return new RawHttpConnection(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The request line and headers of an MCP POST, with the blank line that ends them.
	 */
	public static String mcpPostHead(String path, String... extraHeaders) {
		StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\n").append("Host: localhost\r\n")
			.append("Content-Type: application/json\r\n")
			.append("Accept: application/json, text/event-stream\r\n");
		for (String header : extraHeaders) {
			head.append(header).append("\r\n");
		}
		return head.append("\r\n").toString();
	}

	/** One chunk of a chunked body. */
	public static String chunk(String data) {
		return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
	}

	public RawHttpConnection send(String text) {
		try {
			this.socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
			this.socket.getOutputStream().flush();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads one response: status line, headers, and a body of {@code Content-Length}
	 * bytes (or up to the end of the connection without one).
	 */
	public Response readResponse() {
		try {
			String statusLine = readLine();
			if (statusLine == null) {
				throw new IllegalStateException("The server closed the connection without answering");
			}
			Map<String, String> headers = new LinkedHashMap<>();
			for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
			String length = headers.get("content-length");
			byte[] body = (length != null) ? this.in.readNBytes(Integer.parseInt(length)) : this.in.readAllBytes();
			return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
					new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether the server closed the connection (end of stream) before the read timeout,
	 * as opposed to leaving it open.
	 */
	public boolean closedByServer() {
		try {
			return this.in.read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// A reset is closed too.
			return true;
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		for (int next = this.in.read(); next != -1; next = this.in.read()) {
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
			}
			line.write(next);
			previous = next;
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A response as read.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body as text
	 */
	public record Response(int status, Map<String, String> headers, String body) {

		public Response {
			headers = Map.copyOf(headers);
		}

	}

}
