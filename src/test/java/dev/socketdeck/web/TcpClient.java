package dev.socketdeck.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A real loopback TCP client; every read gives up after five seconds. */
final class TcpClient implements AutoCloseable {

	static final int TIMEOUT_MS = 5000;

	private final Socket socket;

	private final InputStream in;

	private TcpClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
	}

	static TcpClient connect(int port) {
		Socket s = new Socket();
		try {
			s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
			s.setSoTimeout(TIMEOUT_MS);
			return new TcpClient(s);
		}
		catch (IOException ex) {
			try {
				s.close();
			}
			catch (IOException ignored) {
				// already failing
			}
			throw new UncheckedIOException(ex);
		}
	}

	/** The client's own port, as the server sees it in "remote". */
	int localPort() {
		return this.socket.getLocalPort();
	}

	void send(String text) {
		send(text.getBytes(StandardCharsets.UTF_8));
	}

	void send(byte[] bytes) {
		try {
			this.socket.getOutputStream().write(bytes);
			this.socket.getOutputStream().flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Exactly {@code n} bytes; fails if the stream ends or nothing comes in time. */
	byte[] read(int n) {
		try {
			byte[] b = this.in.readNBytes(n);
			assertThat(b.length).as("bytes before end of stream").isEqualTo(n);
			return b;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String readText(int n) {
		return new String(read(n), StandardCharsets.UTF_8);
	}

	/** Sends the text and reads back as many bytes: an echo round trip. */
	String roundTrip(String text) {
		send(text);
		return readText(text.getBytes(StandardCharsets.UTF_8).length);
	}

	/** The server closed its side: the next read is the end of the stream. */
	void expectEndOfStream() {
		try {
			assertThat(this.in.read()).as("end of stream").isEqualTo(-1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing
		}
	}
}
