package dev.socketdeck.client;

import java.net.Socket;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficLog;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Owns the outbound TCP sessions: opens them through the {@link TargetPolicy}, keeps them (closed
 * ones too, so their reason and traffic can still be read) up to {@code max-sessions}, and closes
 * them all when the application stops.
 */
@Component
public class SessionRegistry implements DisposableBean {

	private final TargetPolicy policy;

	private final OutboundProperties properties;

	private final Map<String, TcpSession> sessions = new LinkedHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicLong nextId = new AtomicLong(1);

	/** Sessions connecting now; guarded by {@link #lock}. */
	private int pending;

	public SessionRegistry(TargetPolicy policy, OutboundProperties properties) {
		this.policy = policy;
		this.properties = properties;
	}

	/**
	 * Connects and returns the open session.
	 * @throws OutboundException when the target is refused, unknown, does not answer in time, or
	 * when {@code max-sessions} are open
	 */
	public TcpSession open(SessionSpec spec) {
		Charset charset = Options.charset(spec.charset());
		FramingSpec framing = (spec.framing() != null) ? spec.framing() : FramingSpec.of(Framing.LINE);
		Duration timeout = Options.connectTimeout(spec.connectTimeoutMs(), this.properties);
		Target target = this.policy.check(spec.host(), spec.port(), timeout);
		reserve();
		Socket socket;
		try {
			socket = Connector.connect(target, timeout);
		}
		catch (RuntimeException ex) {
			release();
			throw ex;
		}
		OutboundProperties.SessionTraffic budget = this.properties.sessionTraffic();
		TcpSession session = new TcpSession("s" + this.nextId.getAndIncrement(), target, socket, framing, charset,
				new TrafficLog(budget.maxEvents(), budget.maxBytes().toBytes()), this.properties.maxResponseBytes().toBytes());
		// started before it is listed, so a DELETE of its (guessable) id finds it running
		session.start();
		TcpSession evicted = null;
		this.lock.lock();
		try {
			this.pending--;
			if (this.sessions.size() >= this.properties.maxSessions()) {
				evicted = oldestEnded();
				if (evicted != null) {
					this.sessions.remove(evicted.id());
				}
			}
			this.sessions.put(session.id(), session);
		}
		finally {
			this.lock.unlock();
		}
		if (evicted != null) {
			evicted.delete();
		}
		return session;
	}

	/**
	 * Holds a place for a session about to connect: the connect takes time outside the lock, and
	 * many at once must not get past {@code max-sessions} together. Ended sessions count as room
	 * (the oldest is dropped once a connect succeeds, never for one that fails).
	 */
	private void reserve() {
		this.lock.lock();
		try {
			long ended = this.sessions.values().stream().filter(s -> s.state() != SessionState.OPEN).count();
			if (this.sessions.size() - ended + this.pending >= this.properties.maxSessions()) {
				throw new OutboundException(OutboundException.Kind.CONFLICT, (this.sessions.size() - ended)
						+ " sessions are open" + (this.pending > 0 ? " and " + this.pending + " connecting" : "")
						+ ", the most socketdeck.outbound.max-sessions (" + this.properties.maxSessions()
						+ ") allows; close one first");
			}
			this.pending++;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void release() {
		this.lock.lock();
		try {
			this.pending--;
		}
		finally {
			this.lock.unlock();
		}
	}

	private @Nullable TcpSession oldestEnded() {
		for (TcpSession s : this.sessions.values()) {
			if (s.state() != SessionState.OPEN) {
				return s;
			}
		}
		return null;
	}

	public List<TcpSession> list() {
		this.lock.lock();
		try {
			return new ArrayList<>(this.sessions.values());
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @throws NoSuchSessionException when there is none with this id */
	public TcpSession get(String id) {
		this.lock.lock();
		try {
			TcpSession s = this.sessions.get(id);
			if (s == null) {
				throw new NoSuchSessionException("there is no session '" + id + "'");
			}
			return s;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Closes the session if it is open and forgets it. */
	public void delete(String id) {
		TcpSession s;
		this.lock.lock();
		try {
			s = this.sessions.remove(id);
		}
		finally {
			this.lock.unlock();
		}
		if (s == null) {
			throw new NoSuchSessionException("there is no session '" + id + "'");
		}
		s.delete();
	}

	@Override
	public void destroy() {
		for (TcpSession s : list()) {
			s.close("SocketDeck is shutting down");
		}
	}
}
