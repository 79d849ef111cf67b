package dev.socketdeck.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Opens outbound TCP connections, turning each way a connect fails into a clear message. */
final class Connector {

	private Connector() {
	}

	/** Connects to the checked target within {@code timeout}. */
	static Socket connect(Target target, Duration timeout) {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(target.socketAddress(), (int) Math.max(1, timeout.toMillis()));
			return socket;
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw failure(target, timeout, ex);
		}
	}

	static OutboundException failure(Target target, Duration timeout, IOException ex) {
		String where = "tcp " + target + describeHost(target);
		if (ex instanceof SocketTimeoutException) {
			return new OutboundException(OutboundException.Kind.TIMEOUT,
					"no answer from " + where + " within " + timeout.toMillis() + " ms");
		}
		if (ex instanceof NoRouteToHostException) {
			return new OutboundException(OutboundException.Kind.REFUSED, "cannot reach " + where + ": no route to host");
		}
		if (ex instanceof ConnectException) {
			return new OutboundException(OutboundException.Kind.REFUSED,
					"connection refused by " + where + ": nothing is listening on that port");
		}
		return new OutboundException(OutboundException.Kind.REFUSED, "cannot connect to " + where + ": " + ex.getMessage());
	}

	private static String describeHost(Target target) {
		return target.host().equals(target.address().getHostAddress()) ? "" : " (" + target.host() + ")";
	}

	static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing is all we wanted
		}
	}

	/** Milliseconds since {@code startNanos}, to a tenth. */
	static double millisSince(long startNanos) {
		return Math.round((System.nanoTime() - startNanos) / 100_000.0) / 10.0;
	}
}
