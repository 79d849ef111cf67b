package dev.socketdeck.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * One accepted TCP connection, a non-blocking channel served by an {@link IoLoop}: the loop
 * reads into its shared buffer, the decoder cuts frames, the behaviour answers, all on the
 * loop's thread. Whoever sends (the behaviour, the API, another connection) writes straight to
 * the socket when nothing is waiting, and otherwise queues behind what is; the loop writes the
 * rest when the socket can take it. While bytes wait, the connection is not read (like any
 * echo server, it takes no more than it can answer). A client that stops reading stalls
 * nobody: once its queue passes {@code limits.outboundQueueBytes} it is closed with a reason.
 *
 * <p>Closing is either graceful ({@link #close}: queued bytes are written, then FIN, then the
 * socket is closed once the peer closes too or after a short linger, and at the latest after
 * {@link #CLOSE_DEADLINE_MS}) or abrupt ({@link #abort}: the socket is closed at once). The loop
 * does the final clean-up exactly once: close event, behaviour notified, permit given back.
 */
final class TcpConnection implements Connection, Peer, FrameSink, IoLoop.Ready {

	private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

	/** After our FIN, how long to keep draining the peer's input before closing anyway. */
	private static final int LINGER_MS = 1000;

	/** How long a graceful close may take before the socket is closed anyway. */
	static final long CLOSE_DEADLINE_MS = 2 * LINGER_MS;

	private final Listener listener;

	private final SocketChannel channel;

	private final IoLoop loop;

	private final String id;

	private final InetSocketAddress remote;

	private final long openedAt = System.currentTimeMillis();

	private final Consumer<TcpConnection> onEnd;

	private final long maxQueued;

	// ---- the loop's thread only

	private @Nullable SelectionKey key;

	private @Nullable FrameDecoder decoder;

	private Behaviour.@Nullable Handler handler;

	/** The peer closed its side (or reading failed): nothing more to read. */
	private boolean inputEnded;

	/** Our FIN is sent: what still arrives is dropped until the peer closes too. */
	private boolean outputShut;

	private boolean finished;

	/** When a partial frame is due to be flushed (nanoTime), if one is pending. */
	private long flushAt;

	private boolean flushTimerSet;

	/** When the input that frames are being cut from arrived (one clock read per read). */
	private long inputAt;

	// ---- written by the loop, read by anyone

	private volatile long bytesIn;

	private volatile long framesIn;

	private volatile long lastActivity = this.openedAt;

	// ---- guarded by lock

	private final ReentrantLock lock = new ReentrantLock();

	/** Waiting to be written, oldest first; the head may be partly written. */
	private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(2);

	/** Bytes in the queue not yet written. */
	private long queued;

	/** The queue's head was recorded as sent (it is, from its first byte on). */
	private boolean headRecorded;

	/** The loop was asked to watch for the socket taking more. */
	private boolean writeArmed;

	private long bytesOut;

	private long framesOut;

	/** The first reason given wins. */
	private @Nullable String reason;

	/** Written under lock; once set, nothing more is queued. */
	private volatile boolean closing;

	/** Written under lock: closed at once, queued bytes dropped. */
	private volatile boolean aborted;

	/** What the behaviour calls the far end (a nickname), for people. */
	private volatile @Nullable String label;

	private final CountDownLatch ended = new CountDownLatch(1);

	TcpConnection(Listener listener, SocketChannel channel, IoLoop loop, Consumer<TcpConnection> onEnd)
			throws IOException {
		this.listener = listener;
		this.channel = channel;
		this.loop = loop;
		this.id = listener.nextConnectionId();
		this.remote = (InetSocketAddress) channel.getRemoteAddress();
		this.onEnd = onEnd;
		this.maxQueued = listener.spec().limits().outboundQueueBytes();
	}

	/** Hands the connection to its loop, which registers it and greets it. */
	void start() {
		this.loop.execute(this::register);
	}

	private void register() {
		if (this.aborted) {
			finish();
			return;
		}
		try {
			this.key = this.channel.register(this.loop.selector(), SelectionKey.OP_READ, this);
		}
		catch (IOException ex) {
			abort(describe(ex));
			finish();
			return;
		}
		this.listener.traffic().append(TrafficType.OPEN, this.id, null, remoteText());
		this.decoder = this.listener.framing().newDecoder(this.listener.spec().limits().maxFrameBytes());
		try {
			this.handler = this.listener.behaviour().open(this);
		}
		catch (RuntimeException ex) {
			behaviourFailed(ex);
			return;
		}
		long idleMs = this.listener.spec().limits().idleTimeoutMs();
		if (idleMs > 0) {
			this.loop.schedule(idleMs, this::checkIdle);
		}
		updateInterest();
	}

	@Override
	public void ready(SelectionKey k) {
		int ops = k.readyOps();
		if ((ops & SelectionKey.OP_WRITE) != 0) {
			onWritable();
		}
		if ((ops & SelectionKey.OP_READ) != 0 && !this.finished) {
			onReadable();
		}
	}

	// ---- reading

	private void onReadable() {
		ByteBuffer buf = this.loop.readBuffer();
		buf.limit(Math.min(buf.capacity(), this.listener.spec().limits().maxFrameBytes()));
		int n;
		try {
			n = this.channel.read(buf);
		}
		catch (IOException ex) {
			abort(describe(ex));
			finish();
			return;
		}
		if (n == 0) {
			return;
		}
		this.inputAt = System.currentTimeMillis();
		if (n < 0) {
			this.inputEnded = true;
			if (this.outputShut || this.aborted) {
				finish();
			}
			else if (!this.closing) {
				guard(this::endOfStream);
			}
			updateInterest();
			return;
		}
		this.lastActivity = this.inputAt;
		if (this.closing) {
			// the conversation is over; drop late bytes so closing does not reset the connection
			return;
		}
		this.bytesIn += n;
		this.listener.counters().inBytes(n);
		FrameDecoder d = decoder();
		byte[] bytes = this.loop.readBytes(n);
		guard(() -> d.decode(bytes, 0, n, this));
		int flushMs = this.listener.framing().flushMillis();
		if (flushMs > 0 && d.pending() > 0 && !this.finished) {
			this.flushAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushMs);
			if (!this.flushTimerSet) {
				this.flushTimerSet = true;
				this.loop.schedule(flushMs, this::flushPartial);
			}
		}
	}

	/** A partial frame that waited its flush time without more input becomes a frame. */
	private void flushPartial() {
		this.flushTimerSet = false;
		FrameDecoder d = this.decoder;
		if (this.finished || this.closing || d == null || d.pending() == 0) {
			return;
		}
		long wait = this.flushAt - System.nanoTime();
		if (wait > 0) {
			this.flushTimerSet = true;
			this.loop.schedule(TimeUnit.NANOSECONDS.toMillis(wait) + 1, this::flushPartial);
			return;
		}
		byte[] partial = d.takePartial();
		if (partial != null) {
			this.inputAt = System.currentTimeMillis();
			guard(() -> frame(partial));
		}
	}

	private void checkIdle() {
		if (this.finished || this.closing) {
			return;
		}
		long idleMs = this.listener.spec().limits().idleTimeoutMs();
		long quiet = System.currentTimeMillis() - this.lastActivity;
		if (quiet >= idleMs) {
			close("idle for " + (idleMs / 1000.0) + " s (limits.idleTimeoutMs)");
		}
		else {
			this.loop.schedule(idleMs - quiet, this::checkIdle);
		}
	}

	private void endOfStream() {
		FrameDecoder d = decoder();
		int pending = d.pending();
		byte[] partial = d.takePartial();
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

	@Override
	public void frame(byte[] frame) {
		this.framesIn++;
		this.listener.counters().inFrame();
		this.listener.recordFrame(this.inputAt, TrafficType.IN, this.id, frame);
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

	/** Runs the decoder or the behaviour: one that throws closes this connection only. */
	private void guard(Runnable work) {
		try {
			work.run();
		}
		catch (RuntimeException ex) {
			behaviourFailed(ex);
		}
	}

	private void behaviourFailed(RuntimeException ex) {
		log.warn("Behaviour of '{}' failed on {}", this.listener.id(), this.id, ex);
		this.listener.countError();
		this.listener.traffic().append(TrafficType.ERROR, this.id, null, "behaviour failed: " + ex);
		abort("behaviour failed: " + ex.getMessage());
	}

	private FrameDecoder decoder() {
		FrameDecoder d = this.decoder;
		if (d == null) {
			throw new IllegalStateException("not registered yet");
		}
		return d;
	}

	// ---- writing

	@Override
	public boolean write(byte[] bytes) {
		boolean slow = false;
		boolean failed = false;
		boolean arm = false;
		this.lock.lock();
		try {
			if (this.closing) {
				return false;
			}
			if (this.queued > 0 && this.queued + bytes.length > this.maxQueued) {
				// decided under the lock, so however many threads overflow at once it is closed (and counted) once
				markAborted("client is not reading: " + this.queued + " bytes waiting to be sent and " + bytes.length
						+ " more would pass the limit of " + this.maxQueued + " bytes (limits.outboundQueueBytes)");
				slow = true;
			}
			else {
				this.queue.add(ByteBuffer.wrap(bytes));
				this.queued += bytes.length;
				if (this.queue.size() == 1) {
					// nothing was waiting: write now, on this thread
					failed = !flushLocked();
				}
				if (!failed && !this.queue.isEmpty() && !this.writeArmed) {
					this.writeArmed = true;
					arm = true;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (slow) {
			this.listener.countSlowClientClosed();
			closeNow();
			return false;
		}
		if (failed) {
			closeNow();
		}
		else if (arm) {
			if (this.loop.inLoop()) {
				updateInterest();
			}
			else {
				this.loop.execute(this::updateInterest);
			}
		}
		return true;
	}

	/**
	 * Writes what the socket takes, oldest first. Each chunk is recorded as it starts to go, so
	 * the log keeps cause before effect: an echo is logged before the client can answer it.
	 * Called holding lock; false when the socket failed (the connection is then aborted).
	 */
	private boolean flushLocked() {
		try {
			ByteBuffer b;
			while ((b = this.queue.peek()) != null) {
				if (!this.headRecorded) {
					this.headRecorded = true;
					recordOut(b.array());
				}
				int before = b.remaining();
				if (before > 0) {
					this.channel.write(b);
					this.queued -= before - b.remaining();
					if (b.hasRemaining()) {
						return true;
					}
				}
				this.queue.poll();
				this.headRecorded = false;
			}
			return true;
		}
		catch (IOException ex) {
			markAborted(describe(ex));
			return false;
		}
	}

	/** Called holding lock. */
	private void recordOut(byte[] chunk) {
		long now = System.currentTimeMillis();
		this.lastActivity = now;
		this.bytesOut += chunk.length;
		this.framesOut++;
		this.listener.counters().out(chunk.length);
		this.listener.recordFrame(now, TrafficType.OUT, this.id, chunk);
	}

	private void onWritable() {
		boolean failed;
		this.lock.lock();
		try {
			failed = !flushLocked();
		}
		finally {
			this.lock.unlock();
		}
		if (failed) {
			finish();
			return;
		}
		updateInterest();
	}

	/**
	 * Watches for what the connection needs now: more room while bytes wait, input otherwise.
	 * Once a closing connection has nothing left to write, sends FIN. On the loop only.
	 */
	private void updateInterest() {
		SelectionKey k = this.key;
		if (this.finished || k == null || !k.isValid()) {
			return;
		}
		boolean pending;
		this.lock.lock();
		try {
			pending = !this.queue.isEmpty();
			if (!pending) {
				this.writeArmed = false;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (this.aborted) {
			// later, not inline: a write from a behaviour (a chat room's fan-out) can land here,
			// and the close must not call back into that behaviour while it is mid-way
			this.loop.execute(this::finish);
			return;
		}
		if (!pending && this.closing && !this.outputShut) {
			shutdownOutput();
			return;
		}
		int ops = 0;
		if (pending) {
			ops |= SelectionKey.OP_WRITE;
		}
		if (!this.inputEnded && (!pending || this.closing)) {
			ops |= SelectionKey.OP_READ;
		}
		k.interestOps(ops);
	}

	/** Everything is written: FIN, then wait for the peer's, reading and dropping what comes. */
	private void shutdownOutput() {
		this.outputShut = true;
		try {
			this.channel.shutdownOutput();
		}
		catch (IOException ex) {
			finish();
			return;
		}
		if (this.inputEnded) {
			finish();
			return;
		}
		this.loop.schedule(LINGER_MS, this::finish);
		SelectionKey k = this.key;
		if (k != null && k.isValid()) {
			k.interestOps(SelectionKey.OP_READ);
		}
	}

	/** The final clean-up, once, on the loop. */
	private void finish() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		SelectionKey k = this.key;
		if (k != null) {
			k.cancel();
		}
		TcpTransport.closeQuietly(this.channel);
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
				h.onClose(why);
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
		}
		finally {
			this.lock.unlock();
		}
		if (first) {
			this.loop.execute(() -> {
				// a client that stopped reading would keep its bytes waiting forever: give up on it
				this.loop.schedule(CLOSE_DEADLINE_MS, () -> {
					if (!this.finished) {
						abort(why + " (forced after " + CLOSE_DEADLINE_MS + " ms: the client is not reading)");
					}
				});
				updateInterest();
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
		closeNow();
	}

	/** Aborted: the socket goes now, the clean-up follows on the loop. */
	private void closeNow() {
		TcpTransport.closeQuietly(this.channel);
		this.loop.execute(this::finish);
	}

	/** Called holding lock. */
	private void markAborted(String why) {
		if (this.reason == null) {
			this.reason = why;
		}
		this.closing = true;
		this.aborted = true;
	}

	void awaitEnd(long millis) {
		try {
			this.ended.await(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String describe(IOException ex) {
		String m = String.valueOf(ex.getMessage());
		String lower = m.toLowerCase(Locale.ROOT);
		if (lower.contains("reset")) {
			return "connection reset by peer";
		}
		if (lower.contains("broken pipe")) {
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
	public void label(@Nullable String label) {
		this.label = label;
	}

	@Override
	public void sentByApi(byte[] payload) {
		Behaviour.Handler h = this.handler;
		if (h != null) {
			this.loop.execute(() -> {
				if (!this.finished) {
					try {
						h.onApiSend(payload);
					}
					catch (RuntimeException ex) {
						behaviourFailed(ex);
					}
				}
			});
		}
	}

	@Override
	public ConnectionInfo info() {
		long q;
		long out;
		long framesSent;
		this.lock.lock();
		try {
			q = this.queued;
			out = this.bytesOut;
			framesSent = this.framesOut;
		}
		finally {
			this.lock.unlock();
		}
		return new ConnectionInfo(this.id, remoteText(), Instant.ofEpochMilli(this.openedAt),
				Instant.ofEpochMilli(this.lastActivity), this.bytesIn, out, this.framesIn, framesSent, q, this.label);
	}

	private String remoteText() {
		return Addresses.hostPort(this.remote);
	}
}
