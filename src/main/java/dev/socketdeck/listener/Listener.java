package dev.socketdeck.listener;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.codec.FrameEncoder;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.Counters;
import dev.socketdeck.traffic.TrafficLog;
import dev.socketdeck.traffic.TrafficSource;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener: its spec, behaviour, traffic log and counters, and the transport that is bound
 * while it runs. Start and stop are idempotent and serialised; the log and counters live as long
 * as the listener, across restarts. Its STARTED, STOPPED and FAILED events are published while
 * the change is serialised, so they leave in the order the changes happened and the last one
 * always tells the state the listener is in (a consumer must not block for long).
 */
public final class Listener implements TrafficSource {

	private static final Logger log = LoggerFactory.getLogger(Listener.class);

	private final ListenerSpec spec;

	private final boolean declared;

	private final InetAddress bindAddress;

	private final Charset charset;

	private final FramingSpec framing;

	private final FrameEncoder encoder;

	private final Behaviour behaviour;

	private final TrafficLog traffic;

	private final Counters counters = new Counters();

	private final boolean recording;

	private final IoLoops loops;

	private final AtomicLong connectionIds = new AtomicLong();

	private final LongAdder connectionsTotal = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder slowClientsClosed = new LongAdder();

	private final Consumer<ListenerEvent> events;

	private final ReentrantLock stateLock = new ReentrantLock();

	private volatile ListenerState state = ListenerState.STOPPED;

	private volatile @Nullable String reason;

	private volatile @Nullable Integer boundPort;

	private volatile Instant since = Instant.now();

	/** Written under stateLock, read without it by requests. */
	private volatile @Nullable Transport transport;

	/** Guarded by stateLock: deleted from the registry; it never starts again. */
	private boolean retired;

	/** Set once a delete has closed everything: the traffic log will not grow any more. */
	private volatile boolean deleted;

	Listener(ListenerSpec spec, boolean declared, InetAddress bindAddress, Behaviour behaviour, TrafficLog traffic,
			IoLoops loops, Consumer<ListenerEvent> events) {
		this.spec = spec;
		this.declared = declared;
		this.bindAddress = bindAddress;
		this.charset = Charset.forName(spec.charset());
		this.framing = java.util.Objects.requireNonNull(spec.framing(), "framing");
		this.encoder = this.framing.encoder();
		this.behaviour = behaviour;
		this.traffic = traffic;
		this.events = events;
		this.recording = spec.record();
		this.loops = loops;
	}

	/** The I/O loops its TCP connections run on. */
	IoLoops loops() {
		return this.loops;
	}

	@Override
	public String id() {
		return this.spec.name();
	}

	@Override
	public String kind() {
		return "listener";
	}

	public ListenerSpec spec() {
		return this.spec;
	}

	public boolean declared() {
		return this.declared;
	}

	@Override
	public Charset charset() {
		return this.charset;
	}

	@Override
	public TrafficLog traffic() {
		return this.traffic;
	}

	/** Records a frame in or out, unless the spec switched recording off. */
	void recordFrame(long epochMillis, TrafficType type, String connection, byte[] payload) {
		if (this.recording) {
			this.traffic.append(epochMillis, type, connection, payload, null);
		}
	}

	public ListenerState state() {
		return this.state;
	}

	/**
	 * Binds and starts accepting; does nothing when already running.
	 * @throws ListenerStartException when the socket cannot be bound; the listener is then FAILED
	 */
	void start() {
		this.stateLock.lock();
		try {
			if (this.retired) {
				throw new NoSuchListenerException(id());
			}
			if (this.state == ListenerState.RUNNING) {
				return;
			}
			Transport t = (this.spec.protocol() == Protocol.TCP) ? new TcpTransport(this) : new UdpTransport(this);
			int port;
			try {
				port = t.bind();
			}
			catch (IOException ex) {
				t.close("bind failed");
				String why = describeBindFailure(ex);
				setState(ListenerState.FAILED, why, null);
				this.traffic.append(TrafficType.ERROR, null, null, why);
				this.errors.increment();
				this.events.accept(new ListenerEvent(ListenerEvent.Kind.FAILED, info()));
				throw new ListenerStartException(why, isAddressInUse(ex));
			}
			this.transport = t;
			setState(ListenerState.RUNNING, null, port);
			this.traffic.append(TrafficType.INFO, null, null,
					"listening on " + this.spec.protocol().label() + " " + hostPort(port));
			log.info("Listener '{}' ({} {}) listening on {}", id(), this.spec.protocol().label(), this.spec.behaviour(),
					hostPort(port));
			// published under the lock: events leave in the order the changes happened
			this.events.accept(new ListenerEvent(ListenerEvent.Kind.STARTED, info()));
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/**
	 * Stops accepting and closes every connection within a bounded time; idempotent. A failed
	 * listener becomes stopped (its failure acknowledged).
	 */
	void stop() {
		stop("listener stopped");
	}

	void stop(String why) {
		this.stateLock.lock();
		try {
			Transport t = this.transport;
			if (t == null) {
				if (this.state == ListenerState.FAILED) {
					setState(ListenerState.STOPPED, why + " (after: " + this.reason + ")", null);
					this.events.accept(new ListenerEvent(ListenerEvent.Kind.STOPPED, info()));
				}
				return;
			}
			this.transport = null;
			t.close(why);
			setState(ListenerState.STOPPED, why, null);
			this.traffic.append(TrafficType.INFO, null, null, "stopped listening");
			this.events.accept(new ListenerEvent(ListenerEvent.Kind.STOPPED, info()));
		}
		finally {
			this.stateLock.unlock();
		}
	}

	/** Stops for good: the listener was deleted, and a start racing the delete must not bind again. */
	void retire() {
		this.stateLock.lock();
		try {
			this.retired = true;
			stop("listener deleted");
			this.deleted = true;
		}
		finally {
			this.stateLock.unlock();
		}
		this.behaviour.retired();
	}

	/** True once the listener was deleted and closed everything; its log has its last event. */
	@Override
	public boolean deleted() {
		return this.deleted;
	}

	/** Called by a transport whose receive loop died: the listener is then FAILED. */
	void transportFailed(Transport failed, String why) {
		this.stateLock.lock();
		try {
			if (this.transport != failed) {
				return;
			}
			this.transport = null;
			failed.close("listener failed");
			setState(ListenerState.FAILED, why, null);
			this.traffic.append(TrafficType.ERROR, null, null, why);
			this.errors.increment();
			log.warn("Listener '{}' failed: {}", id(), why);
			this.events.accept(new ListenerEvent(ListenerEvent.Kind.FAILED, info()));
		}
		finally {
			this.stateLock.unlock();
		}
	}

	private void setState(ListenerState state, @Nullable String reason, @Nullable Integer port) {
		this.state = state;
		this.reason = reason;
		this.boundPort = port;
		this.since = Instant.now();
	}

	public ListenerInfo info() {
		return new ListenerInfo(this.spec, this.declared, this.state, this.boundPort, this.reason, this.since, stats());
	}

	public ListenerStats stats() {
		Transport t = this.transport;
		Counters.Snapshot c = this.counters.snapshot();
		return new ListenerStats((t != null) ? t.connections().size() : 0, this.connectionsTotal.sum(), c.bytesIn(),
				c.bytesOut(), c.framesIn(), c.framesOut(), this.errors.sum(), this.slowClientsClosed.sum(),
				this.traffic.lastSeq(), this.traffic.dropped());
	}

	/** Open connections (remembered peers for UDP), oldest first. */
	public List<ConnectionInfo> connections() {
		Transport t = this.transport;
		if (t == null) {
			return List.of();
		}
		List<ConnectionInfo> list = new ArrayList<>();
		for (Connection c : t.connections()) {
			list.add(c.info());
		}
		list.sort(Comparator.comparing(ConnectionInfo::openedAt).thenComparing(ConnectionInfo::id));
		return list;
	}

	/**
	 * Sends to one connection: framed by the listener's framing unless {@code raw}.
	 * @return the number of bytes queued
	 */
	public int send(String connectionId, byte[] payload, boolean raw) {
		byte[] bytes = frame(payload, raw);
		Connection c = connection(connectionId);
		if (!c.write(bytes)) {
			String reason = c.closeReason();
			throw new ListenerConflictException("connection " + connectionId + " of '" + id() + "' "
					+ ((reason != null) ? "is closing: " + reason : "could not be sent to; its traffic log says why"));
		}
		c.sentByApi(payload);
		return bytes.length;
	}

	/**
	 * Sends to every open connection (every remembered peer for UDP).
	 * @return how many connections it was queued for, and how many bytes each
	 */
	public Broadcast broadcast(byte[] payload, boolean raw) {
		byte[] bytes = frame(payload, raw);
		Transport t = this.transport;
		int n = 0;
		if (t != null) {
			for (Connection c : t.connections()) {
				if (c.write(bytes)) {
					c.sentByApi(payload);
					n++;
				}
			}
		}
		return new Broadcast(n, bytes.length);
	}

	/**
	 * What a broadcast did.
	 * @param connections how many connections it was queued for
	 * @param bytes bytes queued for each, framing included
	 */
	public record Broadcast(int connections, int bytes) {
	}

	/** Closes one connection (forgets one UDP peer). */
	public void kick(String connectionId) {
		connection(connectionId).close("closed by operator");
	}

	private Connection connection(String connectionId) {
		Transport t = this.transport;
		Connection c = (t != null) ? t.connection(connectionId) : null;
		if (c == null) {
			throw new NoSuchConnectionException(id(), connectionId);
		}
		return c;
	}

	private byte[] frame(byte[] payload, boolean raw) {
		if (payload.length > this.spec.limits().outboundQueueBytes()) {
			throw new InvalidSpecException("payload", payload.length + " bytes is more than this listener's outbound"
					+ " queue holds (" + this.spec.limits().outboundQueueBytes() + " bytes, limits.outboundQueueBytes)");
		}
		byte[] bytes;
		try {
			bytes = raw ? payload : this.encoder.encode(payload);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSpecException("payload", ex.getMessage());
		}
		if (this.spec.protocol() == Protocol.UDP && bytes.length > UdpTransport.MAX_DATAGRAM) {
			throw new InvalidSpecException("payload", bytes.length + " bytes do not fit in one UDP datagram (at most "
					+ UdpTransport.MAX_DATAGRAM + ")");
		}
		return bytes;
	}

	// ---- for transports and connections

	InetAddress bindAddress() {
		return this.bindAddress;
	}

	FramingSpec framing() {
		return this.framing;
	}

	FrameEncoder encoder() {
		return this.encoder;
	}

	Behaviour behaviour() {
		return this.behaviour;
	}

	Counters counters() {
		return this.counters;
	}

	String nextConnectionId() {
		this.connectionsTotal.increment();
		return "c" + this.connectionIds.incrementAndGet();
	}

	void countError() {
		this.errors.increment();
	}

	void countSlowClientClosed() {
		this.slowClientsClosed.increment();
	}

	String hostPort(int port) {
		return Addresses.hostPort(this.bindAddress, port);
	}

	private String describeBindFailure(IOException ex) {
		String where = this.spec.protocol().label() + " " + hostPort(this.spec.port());
		if (isAddressInUse(ex)) {
			return "cannot listen on " + where + ": the port is already in use";
		}
		return "cannot listen on " + where + ": " + ex.getMessage();
	}

	private static boolean isAddressInUse(IOException ex) {
		String m = String.valueOf(ex.getMessage()).toLowerCase(java.util.Locale.ROOT);
		return ex instanceof BindException && m.contains("in use");
	}

	/** A listener could not bind. */
	static final class ListenerStartException extends RuntimeException {

		private final boolean portInUse;

		ListenerStartException(String message, boolean portInUse) {
			super(message);
			this.portInUse = portInUse;
		}

		/** True when the port was taken; otherwise the address itself could not be used. */
		boolean portInUse() {
			return this.portInUse;
		}
	}
}
