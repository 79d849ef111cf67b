package dev.socketdeck.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.fail;

/** A line-by-line loopback TCP client, as {@code nc} would be: every read gives up after five seconds. */
final class LineClient implements AutoCloseable {

	private final Socket socket;

	private final BufferedReader in;

	private final OutputStream out;

	/** Every line read so far. */
	final List<String> lines = new ArrayList<>();

	private LineClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		this.out = socket.getOutputStream();
	}

	static LineClient connect(int port) {
		return connect(port, 0);
	}

	/** With a small receive buffer ({@code receiveBuffer} > 0), to play a client that reads slowly. */
	static LineClient connect(int port, int receiveBuffer) {
		Socket s = new Socket();
		try {
			if (receiveBuffer > 0) {
				s.setReceiveBufferSize(receiveBuffer);
			}
			s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			s.setSoTimeout(5000);
			return new LineClient(s);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void send(String line) {
		sendRaw(line + "\n");
	}

	void sendRaw(String text) {
		try {
			this.out.write(text.getBytes(StandardCharsets.UTF_8));
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The next line; fails on end of stream or after the timeout. */
	String next() {
		String line = readLine();
		if (line == null) {
			return fail("the server closed the connection; lines so far: %s", this.lines);
		}
		return line;
	}

	/** Reads until a line matches and returns it; fails after the timeout. */
	String await(Predicate<String> wanted) {
		while (true) {
			String line = next();
			if (wanted.test(line)) {
				return line;
			}
		}
	}

	String awaitStart(String prefix) {
		return await(l -> l.startsWith(prefix));
	}

	/** True when the server closes before {@code maxLines} more lines come. */
	boolean awaitEnd(int maxLines) {
		for (int i = 0; i <= maxLines; i++) {
			if (readLine() == null) {
				return true;
			}
		}
		return false;
	}

	private @Nullable String readLine() {
		try {
			String line = this.in.readLine();
			if (line != null) {
				this.lines.add(line);
			}
			return line;
		}
		catch (SocketTimeoutException ex) {
			return fail("no line within 5 s; lines so far: %s", this.lines);
		}
		catch (IOException ex) {
			return null;
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
