package dev.socketdeck.client;

import java.net.Socket;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficLog;
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
		Target target = this.policy.check(spec.host(), spec.port());
		makeRoom();
		Socket socket = Connector.connect(target, timeout);
		OutboundProperties.SessionTraffic budget = this.properties.sessionTraffic();
		TcpSession session = new TcpSession("s" + this.nextId.getAndIncrement(), target, socket, framing, charset,
				new TrafficLog(budget.maxEvents(), budget.maxBytes().toBytes()), this.properties.maxResponseBytes().toBytes());
		this.lock.lock();
		try {
			this.sessions.put(session.id(), session);
		}
		finally {
			this.lock.unlock();
		}
		session.start();
		return session;
	}

	/** Forgets the oldest ended session when the registry is full; refuses when all are open. */
	private void makeRoom() {
		this.lock.lock();
		try {
			if (this.sessions.size() < this.properties.maxSessions()) {
				return;
			}
			for (Iterator<TcpSession> it = this.sessions.values().iterator(); it.hasNext();) {
				TcpSession s = it.next();
				if (s.state() != SessionState.OPEN) {
					it.remove();
					s.delete();
					return;
				}
			}
			throw new OutboundException(OutboundException.Kind.CONFLICT, this.sessions.size()
					+ " sessions are open, the most socketdeck.outbound.max-sessions allows; close one first");
		}
		finally {
			this.lock.unlock();
		}
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
