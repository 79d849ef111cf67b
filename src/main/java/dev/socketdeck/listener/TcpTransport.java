package dev.socketdeck.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound {@link ServerSocketChannel}: one virtual thread accepts, and hands each connection to
 * one of the registry's {@link IoLoop}s in turn (see {@link TcpConnection}). A connection permit
 * is taken before a connection is served and given back when it ends; past the limit a
 * connection is told why and closed at once.
 */
final class TcpTransport implements Transport {

	private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);

	/** How long a connection may take to flush and close before it is forced. */
	static final long GRACEFUL_CLOSE_MS = TcpConnection.CLOSE_DEADLINE_MS;

	private final Listener listener;

	private final Map<String, TcpConnection> connections = new ConcurrentHashMap<>();

	private final Semaphore permits;

	private volatile @Nullable ServerSocketChannel server;

	private volatile boolean closing;

	private volatile String closeReason = "listener stopped";

	private @Nullable Thread acceptThread;

	TcpTransport(Listener listener) {
		this.listener = listener;
		this.permits = new Semaphore(listener.spec().limits().maxConnections());
	}

	@Override
	public int bind() throws IOException {
		ServerSocketChannel s = ServerSocketChannel.open();
		try {
			s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			s.bind(new InetSocketAddress(this.listener.bindAddress(), this.listener.spec().port()), 4096);
		}
		catch (IOException ex) {
			s.close();
			throw ex;
		}
		this.server = s;
		this.acceptThread = Thread.ofVirtual().name("tcp-accept-" + this.listener.id()).start(() -> acceptLoop(s));
		return ((InetSocketAddress) s.getLocalAddress()).getPort();
	}

	private void acceptLoop(ServerSocketChannel s) {
		try {
			acceptUntilClosed(s);
		}
		catch (Throwable ex) {
			log.error("Accept loop of '{}' died", this.listener.id(), ex);
			this.listener.transportFailed(this, "accept loop died: " + ex);
		}
	}

	private void acceptUntilClosed(ServerSocketChannel s) {
		while (!this.closing) {
			SocketChannel socket;
			try {
				socket = s.accept();
			}
			catch (IOException ex) {
				if (!this.closing) {
					this.listener.transportFailed(this, "accept failed: " + ex.getMessage());
				}
				return;
			}
			if (!this.permits.tryAcquire()) {
				refuse(socket);
				continue;
			}
			try {
				socket.configureBlocking(false);
				socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
				TcpConnection c = new TcpConnection(this.listener, socket, this.listener.loops().next(), this::ended);
				this.connections.put(c.id(), c);
				c.start();
				if (this.closing) {
					c.close(this.closeReason);
				}
			}
			catch (IOException | RuntimeException ex) {
				this.permits.release();
				closeQuietly(socket);
				log.debug("Could not serve a connection on '{}'", this.listener.id(), ex);
			}
		}
	}

	private void refuse(SocketChannel socket) {
		int max = this.listener.spec().limits().maxConnections();
		String from;
		try {
			from = Addresses.hostPort((InetSocketAddress) socket.getRemoteAddress());
		}
		catch (IOException ex) {
			from = "a client";
		}
		String why = "refused " + from + ": the listener already has its maximum of " + max
				+ " connections (limits.maxConnections)";
		this.listener.traffic().append(TrafficType.ERROR, null, null, why);
		this.listener.countError();
		closeQuietly(socket);
	}

	private void ended(TcpConnection c) {
		if (this.connections.remove(c.id()) != null) {
			this.permits.release();
		}
	}

	@Override
	public void close(String reason) {
		this.closeReason = reason;
		this.closing = true;
		ServerSocketChannel s = this.server;
		if (s != null) {
			closeQuietly(s);
		}
		Thread t = this.acceptThread;
		if (t != null && t != Thread.currentThread()) {
			join(t, 1000);
		}
		for (TcpConnection c : this.connections.values()) {
			c.close(reason);
		}
		// each graceful close turns itself into an abort after GRACEFUL_CLOSE_MS (TcpConnection):
		// wait for that, and a little for the clean-up after it
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACEFUL_CLOSE_MS + 1000);
		for (TcpConnection c : List.copyOf(this.connections.values())) {
			c.awaitEnd(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		}
	}

	@Override
	public Collection<TcpConnection> connections() {
		return this.connections.values();
	}

	@Override
	public @Nullable Connection connection(String id) {
		return this.connections.get(id);
	}

	private static void join(Thread t, long millis) {
		try {
			t.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void closeQuietly(java.io.Closeable c) {
		try {
			c.close();
		}
		catch (IOException ex) {
			// closing: nothing left to do
		}
	}
}
