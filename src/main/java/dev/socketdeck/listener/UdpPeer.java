package dev.socketdeck.listener;

import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.behaviour.Peer;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A remote address that sent datagrams to a UDP listener, remembered until forgotten. */
final class UdpPeer implements Connection, Peer {

	private static final Logger log = LoggerFactory.getLogger(UdpPeer.class);

	private final Listener listener;

	private final UdpTransport transport;

	private final InetSocketAddress remote;

	private final String id;

	private final Instant openedAt = Instant.now();

	private final AtomicLong bytesIn = new AtomicLong();

	private final AtomicLong bytesOut = new AtomicLong();

	private final AtomicLong framesIn = new AtomicLong();

	private final AtomicLong framesOut = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Why it was forgotten; null while it is remembered. */
	private volatile @Nullable String closeReason;

	private volatile long lastActivity = System.currentTimeMillis();

	private Behaviour.@Nullable Handler handler;

	UdpPeer(Listener listener, UdpTransport transport, InetSocketAddress remote) {
		this.listener = listener;
		this.transport = transport;
		this.remote = remote;
		this.id = listener.nextConnectionId();
	}

	void open() {
		this.listener.traffic().append(TrafficType.OPEN, this.id, null, remoteText());
		try {
			this.handler = this.listener.behaviour().open(this);
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	/** A datagram from this peer (on the receive loop's thread). */
	void received(byte[] frame, int datagramLength) {
		long now = System.currentTimeMillis();
		this.lastActivity = now;
		this.bytesIn.addAndGet(datagramLength);
		this.framesIn.incrementAndGet();
		this.listener.counters().inFrame();
		this.listener.recordFrame(now, TrafficType.IN, this.id, frame);
		Behaviour.Handler h = this.handler;
		if (h != null) {
			try {
				h.onFrame(frame);
			}
			catch (RuntimeException ex) {
				failed(ex);
			}
		}
	}

	void oversized(int length, int max) {
		this.lastActivity = System.currentTimeMillis();
		this.listener.countError();
		this.listener.traffic().append(TrafficType.ERROR, this.id, null, "datagram of " + length
				+ (length > max + 1 ? "" : "+") + " bytes is over the limit of " + max + " bytes (limits.maxFrameBytes); discarded");
	}

	private void failed(RuntimeException ex) {
		log.warn("Behaviour of '{}' failed on {}", this.listener.id(), this.id, ex);
		this.listener.countError();
		this.listener.traffic().append(TrafficType.ERROR, this.id, null, "behaviour failed: " + ex);
		close("behaviour failed: " + ex.getMessage());
	}

	long lastActivityMillis() {
		return this.lastActivity;
	}

	InetSocketAddress remoteAddress() {
		return this.remote;
	}

	@Override
	public boolean write(byte[] bytes) {
		if (this.closed.get()) {
			return false;
		}
		// recorded before it leaves, so the log keeps cause before effect (a failed send adds an error)
		long now = System.currentTimeMillis();
		this.lastActivity = now;
		this.bytesOut.addAndGet(bytes.length);
		this.framesOut.incrementAndGet();
		this.listener.counters().out(bytes.length);
		this.listener.recordFrame(now, TrafficType.OUT, this.id, bytes);
		return this.transport.send(this.remote, bytes);
	}

	@Override
	public void close(String reason) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.closeReason = reason;
		this.transport.forget(this);
		this.listener.traffic().append(TrafficType.CLOSE, this.id, null, reason);
		Behaviour.Handler h = this.handler;
		if (h != null) {
			try {
				h.onClose(reason);
			}
			catch (RuntimeException ex) {
				log.warn("Behaviour of '{}' failed closing {}", this.listener.id(), this.id, ex);
			}
		}
	}

	@Override
	public @Nullable String closeReason() {
		return this.closeReason;
	}

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
		return true;
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
		return new ConnectionInfo(this.id, remoteText(), this.openedAt, Instant.ofEpochMilli(this.lastActivity),
				this.bytesIn.get(), this.bytesOut.get(), this.framesIn.get(), this.framesOut.get(), 0, null);
	}

	private String remoteText() {
		return Addresses.hostPort(this.remote);
	}
}
