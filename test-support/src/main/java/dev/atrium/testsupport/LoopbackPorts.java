package dev.atrium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports on the loopback interface, for servers a test starts or needs absent. */
public final class LoopbackPorts {

	private LoopbackPorts() {
	}

	/**
	 * A port nothing listens on now: free to bind, and refused when connected to.
	 * @return the port number
	 */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
