package dev.socketdeck.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.socketdeck.codec.FrameDecoder;
import dev.socketdeck.codec.FrameEncoder;
import dev.socketdeck.codec.FrameSink;
import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.Counters;
import dev.socketdeck.traffic.TrafficLog;
import dev.socketdeck.traffic.TrafficSource;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbound TCP connection that stays open: what arrives is cut into frames and logged, what
 * is sent is framed, queued and written by the session's own writer, so a peer that does not
 * read never holds up the request that sent (the queue has a cap, and a send past it is
 * refused). One virtual thread reads, one writes; the session ends once, on the first of: the
 * peer closing, a failure, or {@link #close}.
 */
public final class TcpSession implements TrafficSource {

	private static final Logger log = LoggerFactory.getLogger(TcpSession.class);

	/** Largest frame a session keeps whole; longer ones are reported and skipped. */
	static final int MAX_FRAME_BYTES = 65536;

	private final String id;

	private final Target target;

	private final Socket socket;

	private final FramingSpec framing;

	private final FrameEncoder encoder;

	private final Charset charset;

	private final TrafficLog traffic;

	private final Counters counters = new Counters();

	private final long maxQueued;

	private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

	private final AtomicLong queued = new AtomicLong();

	private final ReentrantLock stateLock = new ReentrantLock();

	private final Instant openedAt = Instant.now();

	private final String localAddress;

	private final String remoteAddress;

	private volatile SessionState state = SessionState.OPEN;

	private volatile @Nullable String reason;

	private volatile @Nullable Instant closedAt;

	private volatile boolean deleted;

	private volatile @Nullable Thread writer;

	private volatile @Nullable Thread reader;

	/** Put on the queue when the session ends, so the writer wakes and stops whatever it was doing. */
	private static final byte[] END = new byte[0];

	TcpSession(String id, Target target, Socket socket, FramingSpec framing, Charset charset, TrafficLog traffic,
			long maxQueued) {
		this.id = id;
		this.target = target;
		this.socket = socket;
		this.framing = framing;
		this.encoder = framing.encoder();
		this.charset = charset;
		this.traffic = traffic;
		this.maxQueued = maxQueued;
		this.localAddress = Target.hostPort(socket.getLocalSocketAddress());
		this.remoteAddress = Target.hostPort(socket.getRemoteSocketAddress());
	}

	/** Logs the open and starts reading and writing. */
	void start() {
		this.traffic.append(TrafficType.OPEN, this.id, null,
				"connected to " + this.remoteAddress + " from " + this.localAddress);
		// both known before either runs, so an end from any side finds the threads to wait for
		Thread w = Thread.ofVirtual().name("session-" + this.id + "-write").unstarted(this::writeLoop);
		Thread r = Thread.ofVirtual().name("session-" + this.id + "-read").unstarted(this::readLoop);
		this.writer = w;
		this.reader = r;
		w.start();
		r.start();
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String kind() {
		return "session";
	}

	@Override
	public TrafficLog traffic() {
		return this.traffic;
	}

	@Override
	public Charset charset() {
		return this.charset;
	}

	@Override
	public boolean deleted() {
		return this.deleted;
	}

	public SessionState state() {
		return this.state;
	}

	/**
	 * Frames {@code payload} (unless {@code raw}) and queues it for writing.
	 * @return the bytes queued
	 * @throws OutboundException when the session has ended or the peer is not reading
	 */
	public int send(byte[] payload, boolean raw) {
		byte[] bytes;
		try {
			bytes = raw ? payload : this.encoder.encode(payload);
		}
		catch (IllegalArgumentException ex) {
			throw new OutboundException(OutboundException.Kind.INVALID, ex.getMessage(), "text");
		}
		if (bytes.length > this.maxQueued) {
			throw new OutboundException(OutboundException.Kind.INVALID, "text: a send of " + bytes.length
					+ " bytes is more than the " + this.maxQueued + " a session queues (socketdeck.outbound.max-response-bytes)",
					"text");
		}
		// under the state lock, so a send either is queued before the session ends or is refused
		this.stateLock.lock();
		try {
			if (this.state != SessionState.OPEN) {
				throw new OutboundException(OutboundException.Kind.CLOSED,
						"session " + this.id + " is " + this.state.label() + ": " + this.reason);
			}
			long waiting = this.queued.get();
			if (waiting + bytes.length > this.maxQueued) {
				throw new OutboundException(OutboundException.Kind.BUSY, "the peer is not reading: " + waiting
						+ " bytes already wait to be written to it (the cap is " + this.maxQueued + "); nothing was queued");
			}
			this.queued.addAndGet(bytes.length);
			this.queue.add(bytes);
			return bytes.length;
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/** Ends the session (if it is open) with {@code why}; safe to call more than once. */
	public void close(String why) {
		end(SessionState.CLOSED, why);
	}

	/**
	 * Closes it and marks it gone once its threads have stopped, so live streams end after its
	 * last event.
	 */
	void delete() {
		close("closed by you");
		for (Thread t : new Thread[] { this.reader, this.writer }) {
			if (t != null && t != Thread.currentThread()) {
				try {
					t.join(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		this.deleted = true;
	}

	/** True once both its threads have ended (for tests). */
	boolean threadsEnded() {
		Thread r = this.reader;
		Thread w = this.writer;
		return (r == null || !r.isAlive()) && (w == null || !w.isAlive());
	}

	public SessionInfo info() {
		Counters.Snapshot c = this.counters.snapshot();
		return new SessionInfo(this.id, this.target.host(), this.target.port(), this.framing.toString(),
				this.charset.name(), this.state, this.localAddress, this.remoteAddress, this.openedAt, this.closedAt,
				this.reason, c.bytesIn(), c.bytesOut(), c.framesIn(), c.framesOut(), this.queued.get());
	}

	private void readLoop() {
		FrameDecoder decoder = this.framing.newDecoder(MAX_FRAME_BYTES);
		int flushMs = (this.framing.type() == Framing.LINE) ? this.framing.flushMillis() : 0;
		FrameSink sink = new FrameSink() {
			@Override
			public void frame(byte[] frame) {
				received(frame);
			}

			@Override
			public void oversized(long length, int maxFrameBytes) {
				TcpSession.this.traffic.append(TrafficType.ERROR, TcpSession.this.id, null, "a frame of " + length
						+ " bytes or more is longer than the " + maxFrameBytes + " bytes a session keeps; it was skipped");
			}
		};
		byte[] buf = new byte[16384];
		try {
			InputStream in = this.socket.getInputStream();
			while (true) {
				boolean partial = flushMs > 0 && decoder.pending() > 0;
				this.socket.setSoTimeout(partial ? flushMs : 0);
				int n;
				try {
					n = in.read(buf);
				}
				catch (SocketTimeoutException ex) {
					// a line without its line ending sat long enough: it is a frame of its own
					byte[] line = decoder.takePartial();
					if (line != null) {
						received(line);
					}
					continue;
				}
				if (n < 0) {
					int pending = decoder.pending();
					byte[] line = decoder.takePartial();
					if (line != null) {
						received(line);
					}
					end(SessionState.CLOSED, (pending > 0 && line == null)
							? "the peer closed the connection inside a frame (" + pending + " bytes of it were lost)"
							: "the peer closed the connection");
					return;
				}
				this.counters.inBytes(n);
				decoder.decode(buf, 0, n, sink);
			}
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	private void received(byte[] frame) {
		this.counters.inFrame();
		this.traffic.append(TrafficType.IN, this.id, frame, null);
	}

	private void writeLoop() {
		try {
			OutputStream out = this.socket.getOutputStream();
			while (true) {
				byte[] bytes = this.queue.take();
				if (bytes == END) {
					return;
				}
				out.write(bytes);
				out.flush();
				this.queued.addAndGet(-bytes.length);
				this.counters.out(bytes.length);
				this.traffic.append(TrafficType.OUT, this.id, bytes, null);
			}
		}
		catch (InterruptedException ex) {
			// the session ended
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	private void failed(IOException ex) {
		if (this.state != SessionState.OPEN) {
			return; // closed by us: the socket's close ended the read or write
		}
		String message = String.valueOf(ex.getMessage());
		String why = message.toLowerCase(java.util.Locale.ROOT).contains("reset") ? "the peer reset the connection"
				: "the connection failed: " + message;
		log.debug("Session {} to {} failed: {}", this.id, this.remoteAddress, message);
		end(SessionState.FAILED, why);
	}

	private void end(SessionState how, String why) {
		this.stateLock.lock();
		try {
			if (this.state != SessionState.OPEN) {
				return;
			}
			this.reason = why;
			this.closedAt = Instant.now();
			this.state = how;
			this.traffic.append(TrafficType.CLOSE, this.id, null, why);
		}
		finally {
			this.stateLock.unlock();
		}
		Connector.closeQuietly(this.socket);
		this.queue.clear();
		this.queued.set(0);
		this.queue.add(END);
	}
}
