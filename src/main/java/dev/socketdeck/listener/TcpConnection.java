package dev.socketdeck.listener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.behaviour.Peer;
import dev.socketdeck.codec.FrameDecoder;
import dev.socketdeck.codec.FrameSink;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted TCP connection, served by two virtual threads: a reader that cuts the input
 * into frames and hands them to the behaviour, and a writer that drains a bounded outbound
 * queue. Whoever sends (the behaviour, the API, another connection) only queues, so a client
 * that stops reading stalls nobody: once its queue is full it is closed with a reason.
 *
 * <p>Closing is either graceful ({@link #close}: queued bytes are written, then FIN, then the
 * socket is closed once the peer closes too or after a short linger) or abrupt
 * ({@link #abort}: the socket is closed at once). The writer thread does the final clean-up
 * exactly once: close event, behaviour notified, permit given back.
 */
final class TcpConnection implements Connection, Peer, FrameSink {

	private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

	/** After our FIN, how long to keep draining the peer's input before closing anyway. */
	private static final int LINGER_MS = 1000;

	private static final int READ_BUFFER = 8192;

	/** How long a graceful close may take before the socket is closed anyway. */
	static final long CLOSE_DEADLINE_MS = 2 * LINGER_MS;

	private final Listener listener;

	private final Socket socket;

	private final String id;

	private final InetSocketAddress remote;

	private final Instant openedAt = Instant.now();

	private final Consumer<TcpConnection> onEnd;

	private final long maxQueued;

	private final AtomicLong bytesIn = new AtomicLong();

	private final AtomicLong bytesOut = new AtomicLong();

	private final AtomicLong framesIn = new AtomicLong();

	private final AtomicLong framesOut = new AtomicLong();

	private volatile long lastActivity = System.currentTimeMillis();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition ready = this.lock.newCondition();

	private final ArrayDeque<byte[]> queue = new ArrayDeque<>();

	/** Guarded by lock. */
	private long queued;

	/** Written under lock; once set, nothing more is queued. */
	private volatile boolean closing;

	/** Written under lock: closed at once, queued bytes dropped. */
	private volatile boolean aborted;

	/** Guarded by lock: the first reason given wins. */
	private @Nullable String reason;

	private final CountDownLatch ended = new CountDownLatch(1);

	private Behaviour.@Nullable Handler handler;

	private @Nullable Thread reader;

	TcpConnection(Listener listener, Socket socket, Consumer<TcpConnection> onEnd) {
		this.listener = listener;
		this.socket = socket;
		this.id = listener.nextConnectionId();
		this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
		this.onEnd = onEnd;
		this.maxQueued = listener.spec().limits().outboundQueueBytes();
	}

	void start() {
		String name = "tcp-" + this.listener.id() + "-" + this.id;
		this.listener.traffic().append(TrafficType.OPEN, this.id, null, remoteText());
		this.reader = Thread.ofVirtual().name(name + "-r").start(this::readLoop);
		Thread.ofVirtual().name(name + "-w").start(this::writeLoop);
	}

	// ---- reading

	private void readLoop() {
		FrameDecoder decoder = this.listener.framing().newDecoder(this.listener.spec().limits().maxFrameBytes());
		try {
			this.handler = this.listener.behaviour().open(this);
			InputStream in = this.socket.getInputStream();
			byte[] buf = new byte[Math.min(READ_BUFFER, this.listener.spec().limits().maxFrameBytes())];
			long idleMs = this.listener.spec().limits().idleTimeoutMs();
			int flushMs = this.listener.framing().flushMillis();
			int soTimeout = 0;
			while (!isClosing()) {
				int want = (decoder.pending() > 0 && flushMs > 0) ? flushMs : (int) Math.min(idleMs, Integer.MAX_VALUE);
				if (want != soTimeout) {
					this.socket.setSoTimeout(want);
					soTimeout = want;
				}
				int n;
				try {
					n = in.read(buf);
				}
				catch (SocketTimeoutException ex) {
					byte[] partial = (decoder.pending() > 0) ? decoder.takePartial() : null;
					if (partial != null) {
						frame(partial);
					}
					else if (idleMs > 0 && System.currentTimeMillis() - this.lastActivity >= idleMs) {
						close("idle for " + (idleMs / 1000.0) + " s (limits.idleTimeoutMs)");
					}
					continue;
				}
				if (n < 0) {
					endOfStream(decoder);
					return;
				}
				this.lastActivity = System.currentTimeMillis();
				this.bytesIn.addAndGet(n);
				this.listener.counters().inBytes(n);
				decoder.decode(buf, 0, n, this);
			}
			linger(in, buf);
		}
		catch (IOException ex) {
			if (!isClosing()) {
				abort(describe(ex));
			}
		}
		catch (RuntimeException ex) {
			log.warn("Behaviour of '{}' failed on {}", this.listener.id(), this.id, ex);
			this.listener.countError();
			this.listener.traffic().append(TrafficType.ERROR, this.id, null, "behaviour failed: " + ex);
			abort("behaviour failed: " + ex.getMessage());
		}
	}

	private void endOfStream(FrameDecoder decoder) {
		int pending = decoder.pending();
		byte[] partial = decoder.takePartial();
		if (partial != null) {
			frame(partial);
			close("peer closed");
		}
		else if (pending > 0) {
			this.listener.countError();
			close("peer closed inside a frame (" + pending + " bytes of it discarded)");
		}
		else {
			close("peer closed");
		}
	}

	/** After a graceful close was asked for: read and drop what the peer still sends, until it closes. */
	private void linger(InputStream in, byte[] buf) throws IOException {
		this.socket.setSoTimeout(LINGER_MS);
		try {
			while (in.read(buf) >= 0) {
				// the conversation is over; drop late bytes so closing does not reset the connection
			}
		}
		catch (SocketTimeoutException ex) {
			// the peer did not close; the writer closes the socket
		}
	}

	@Override
	public void frame(byte[] frame) {
		this.framesIn.incrementAndGet();
		this.listener.counters().inFrame();
		this.listener.traffic().append(TrafficType.IN, this.id, frame, null);
		Behaviour.Handler h = this.handler;
		if (h != null) {
			h.onFrame(frame);
		}
	}

	@Override
	public void oversized(long length, int maxFrameBytes) {
		this.listener.countError();
		this.listener.traffic().append(TrafficType.ERROR, this.id, null, "frame of " + length
				+ (length > maxFrameBytes + 1L ? "" : "+") + " bytes is over the limit of " + maxFrameBytes
				+ " bytes (limits.maxFrameBytes); discarded");
	}

	// ---- writing

	@Override
	public boolean write(byte[] bytes) {
		this.lock.lock();
		try {
			if (this.closing) {
				return false;
			}
			if (this.queued == 0 || this.queued + bytes.length <= this.maxQueued) {
				this.queue.add(bytes);
				this.queued += bytes.length;
				this.ready.signal();
				return true;
			}
			// decided under the lock, so however many threads overflow at once it is closed (and counted) once
			markAborted("client is not reading: " + this.queued + " bytes waiting to be sent and " + bytes.length
					+ " more would pass the limit of " + this.maxQueued + " bytes (limits.outboundQueueBytes)");
		}
		finally {
			this.lock.unlock();
		}
		this.listener.countSlowClientClosed();
		TcpTransport.closeQuietly(this.socket);
		return false;
	}

	private void writeLoop() {
		try {
			OutputStream out = this.socket.getOutputStream();
			while (true) {
				byte[] chunk;
				this.lock.lock();
				try {
					while (this.queue.isEmpty() && !this.closing) {
						this.ready.await();
					}
					if (this.aborted || this.queue.isEmpty()) {
						break;
					}
					chunk = this.queue.poll();
					this.queued -= chunk.length;
				}
				finally {
					this.lock.unlock();
				}
				// recorded as it is handed to the socket, so the log keeps cause before effect: an echo
				// is logged before the client can answer it
				this.lastActivity = System.currentTimeMillis();
				this.bytesOut.addAndGet(chunk.length);
				this.framesOut.incrementAndGet();
				this.listener.counters().out(chunk.length);
				this.listener.traffic().append(TrafficType.OUT, this.id, chunk, null);
				out.write(chunk);
			}
			if (!isAborted()) {
				this.socket.shutdownOutput();
				Thread r = this.reader;
				if (r != null) {
					r.join(LINGER_MS + 500);
				}
			}
		}
		catch (IOException ex) {
			abort(describe(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			finish();
		}
	}

	private void finish() {
		TcpTransport.closeQuietly(this.socket);
		Thread r = this.reader;
		if (r != null && r != Thread.currentThread()) {
			try {
				r.join(LINGER_MS + 500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		String why;
		this.lock.lock();
		try {
			this.closing = true;
			why = (this.reason != null) ? this.reason : "closed";
			this.queue.clear();
			this.queued = 0;
		}
		finally {
			this.lock.unlock();
		}
		this.onEnd.accept(this);
		this.listener.traffic().append(TrafficType.CLOSE, this.id, null, why);
		Behaviour.Handler h = this.handler;
		if (h != null) {
			try {
				h.onClose();
			}
			catch (RuntimeException ex) {
				log.warn("Behaviour of '{}' failed closing {}", this.listener.id(), this.id, ex);
			}
		}
		this.ended.countDown();
	}

	// ---- closing

	@Override
	public void close(String why) {
		boolean first;
		this.lock.lock();
		try {
			if (this.reason == null) {
				this.reason = why;
			}
			first = !this.closing;
			this.closing = true;
			this.ready.signal();
		}
		finally {
			this.lock.unlock();
		}
		if (first) {
			// a client that stopped reading would keep the writer blocked forever: give up on it
			Thread.ofVirtual().name("tcp-" + this.listener.id() + "-" + this.id + "-close").start(() -> {
				try {
					if (!this.ended.await(CLOSE_DEADLINE_MS, TimeUnit.MILLISECONDS)) {
						abort(why + " (forced after " + CLOSE_DEADLINE_MS + " ms: the client is not reading)");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
	}

	@Override
	public @Nullable String closeReason() {
		this.lock.lock();
		try {
			return this.closing ? this.reason : null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Closes the socket at once; queued bytes are dropped. */
	void abort(String why) {
		this.lock.lock();
		try {
			markAborted(why);
		}
		finally {
			this.lock.unlock();
		}
		TcpTransport.closeQuietly(this.socket);
	}

	/** Called holding lock. */
	private void markAborted(String why) {
		if (this.reason == null) {
			this.reason = why;
		}
		this.closing = true;
		this.aborted = true;
		this.ready.signal();
	}

	void awaitEnd(long millis) {
		try {
			this.ended.await(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean isClosing() {
		return this.closing;
	}

	private boolean isAborted() {
		return this.aborted;
	}

	private static String describe(IOException ex) {
		String m = String.valueOf(ex.getMessage());
		if (ex instanceof SocketException && m.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
			return "connection reset by peer";
		}
		if (m.toLowerCase(java.util.Locale.ROOT).contains("broken pipe")) {
			return "peer went away (broken pipe)";
		}
		return "connection failed: " + m;
	}

	// ---- Peer and Connection

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public InetSocketAddress remote() {
		return this.remote;
	}

	@Override
	public boolean datagram() {
		return false;
	}

	@Override
	public Charset charset() {
		return this.listener.charset();
	}

	@Override
	public void send(byte[] payload) {
		write(this.listener.encoder().encode(payload));
	}

	@Override
	public void sendRaw(byte[] bytes) {
		write(bytes);
	}

	@Override
	public ConnectionInfo info() {
		long q;
		this.lock.lock();
		try {
			q = this.queued;
		}
		finally {
			this.lock.unlock();
		}
		return new ConnectionInfo(this.id, remoteText(), this.openedAt, Instant.ofEpochMilli(this.lastActivity),
				this.bytesIn.get(), this.bytesOut.get(), this.framesIn.get(), this.framesOut.get(), q);
	}

	private String remoteText() {
		return Addresses.hostPort(this.remote);
	}
}
