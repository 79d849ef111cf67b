package dev.socketdeck.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A test-local TCP server on loopback, port 0: each accepted connection is handed to the
 * handler on a virtual thread of its own. For the peers outbound requests meet in the wild: one
 * that resets, one that never reads, one that answers slowly, one that speaks chunked HTTP.
 * Closing it closes every socket it accepted.
 */
final class LocalServer implements AutoCloseable {

	/** What to do with one accepted connection; the socket is closed when it returns. */
	interface Handler {

		void handle(Socket socket) throws Exception;
	}

	private final ServerSocket server;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private LocalServer(ServerSocket server, Handler handler) {
		this.server = server;
		Thread.ofVirtual().name("local-server-" + server.getLocalPort()).start(() -> {
			while (!server.isClosed()) {
				try {
					Socket s = server.accept();
					this.accepted.add(s);
					Thread.ofVirtual().start(() -> {
						try (s) {
							s.setSoTimeout(10_000);
							handler.handle(s);
						}
						catch (Exception ex) {
							// the test looks at what the other side saw
						}
					});
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	static LocalServer start(Handler handler) {
		try {
			ServerSocket s = new ServerSocket();
			s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return new LocalServer(s, handler);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A TLS server with the self-signed certificate in {@code tls/selfsigned.p12} (CN=localhost). */
	static LocalServer startTls(Handler handler) {
		try (var in = LocalServer.class.getResourceAsStream("/tls/selfsigned.p12")) {
			java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
			ks.load(in, "changeit".toCharArray());
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(ks, "changeit".toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf.getKeyManagers(), null, null);
			SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
			s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return new LocalServer(s, handler);
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot start the TLS test server", ex);
		}
	}

	int port() {
		return this.server.getLocalPort();
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing
		}
		for (Socket s : this.accepted) {
			try {
				s.close();
			}
			catch (IOException ex) {
				// closing
			}
		}
	}

	/** A port nothing listens on right now: bound, then released. */
	static int freePort() {
		try (ServerSocket s = new ServerSocket()) {
			s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			return s.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
