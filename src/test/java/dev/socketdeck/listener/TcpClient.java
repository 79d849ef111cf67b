package dev.socketdeck.listener;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking TCP client for engine tests, the tutorials' {@code socket / connect / send / recv}.
 * Every read times out (a test that waits for bytes that never come fails instead of hanging).
 */
public final class TcpClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private TcpClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	public static TcpClient connect(int port) throws IOException {
		Socket s = new Socket();
		try {
			s.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
			s.connect(new InetSocketAddress(TestEngine.LOOPBACK, port), (int) TestEngine.TIMEOUT.toMillis());
			return new TcpClient(s);
		}
		catch (IOException ex) {
			s.close();
			throw ex;
		}
	}

	public Socket socket() {
		return this.socket;
	}

	public int localPort() {
		return this.socket.getLocalPort();
	}

	public TcpClient send(String text) throws IOException {
		return send(text.getBytes(StandardCharsets.UTF_8));
	}

	public TcpClient send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
		return this;
	}

	/** Reads up to and including the next LF. */
	public String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		do {
			b = this.in.read();
			if (b < 0) {
				throw new EOFException("end of stream after \"" + line.toString(StandardCharsets.UTF_8) + "\"");
			}
			line.write(b);
		}
		while (b != '\n');
		return line.toString(StandardCharsets.UTF_8);
	}

	public byte[] readExactly(int n) throws IOException {
		byte[] bytes = this.in.readNBytes(n);
		if (bytes.length < n) {
			throw new EOFException("end of stream after " + bytes.length + " of " + n + " bytes");
		}
		return bytes;
	}

	public String readText(int n) throws IOException {
		return new String(readExactly(n), StandardCharsets.UTF_8);
	}

	/** Reads one byte: -1 at the end of the stream. */
	public int read() throws IOException {
		return this.in.read();
	}

	/**
	 * Reads until the server closes its side; a reset or a timeout throws.
	 * @return what came before the end
	 */
	public byte[] readToEnd() throws IOException {
		return this.in.readAllBytes();
	}

	public String readTextToEnd() throws IOException {
		return new String(readToEnd(), StandardCharsets.UTF_8);
	}

	public void shutdownOutput() throws IOException {
		this.socket.shutdownOutput();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}
}
